"""Ingest: read every article in an input folder, decode it and attach metadata.

A file or line that cannot be read becomes a reject with a clear reason; the
rest of the folder is still read.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import ftfy
from charset_normalizer import from_bytes

SUPPORTED = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
METADATA_FILE = "sources.csv"
MIN_HTML_ARTICLE_WORDS = 15
JSONL_FIELDS = ("id", "title", "outlet", "url", "published_at", "language")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Signs Windows-1252 text carries besides letters and ASCII (see _detect).
_WESTERN_SIGNS = frozenset("€£¥©®°«»")
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not text we can trust."""


@dataclass
class RawArticle:
    """One article as read, before cleaning."""

    source: str
    source_format: str
    text: str
    title: str | None = None
    outlet: str | None = None
    outlet_evidence: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    source_record_id: str | None = None


@dataclass
class Reject:
    source: str
    stage: str
    reason: str

    def to_row(self) -> dict[str, str]:
        return {"source": self.source, "stage": self.stage, "reason": self.reason}


@dataclass
class IngestResult:
    articles: list[RawArticle] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def doc_id_for(source: str) -> str:
    """Stable id from the source path alone, so file order never matters."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def decode_bytes(data: bytes) -> str:
    """UTF-8, then a BOM, then charset detection; ftfy repairs mojibake.

    Raises DecodeError for empty or binary content.
    """
    if not data.strip():
        raise DecodeError("empty file")
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} byte-order mark but does not decode: {exc.reason}") from exc
            break
    if text is None:
        if b"\x00" in data:
            raise DecodeError("binary file (contains NUL bytes)")
        if data.lstrip()[:5] == b"%PDF-":
            # A PDF can be all ASCII (uncompressed streams): it must not pass for text.
            raise DecodeError("binary file (a PDF document, not text: convert it to text first)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if text is None:
            text = _detect(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise DecodeError("empty file")
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(8, len(text) // 100):
        raise DecodeError(f"binary file ({controls} control characters)")
    text = fix_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _detect(data: bytes) -> str:
    """Charset detection for bytes that are not UTF-8 and have no BOM."""
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise DecodeError("binary file (no text encoding fits)")
    # UTF-16/32 text without a BOM would have failed the NUL test unless it had no
    # Latin letters at all; such a guess is random bytes that happen to pair up.
    if best.encoding.startswith(("utf_16", "utf_32")):
        raise DecodeError("binary file (no text encoding fits)")
    text = str(best)
    # English with a few accents reads about as well in cp1250 or cp1257 as in
    # Windows-1252, and the detector often picks the former ("señor" came out
    # "seńor", "£" as "Ł"). Windows-1252, the web's default for Western text, wins
    # when the detector rates it as coherent and it reads every byte where the two
    # differ as a letter or a currency sign (Polish or Czech read as cp1252 give
    # "³", "¿", "¹" or an undefined byte).
    western = next((m for m in matches if m.encoding == "cp1252"), None)
    if western is not None and western is not best and western.coherence >= best.coherence:
        candidate = str(western)
        if len(candidate) == len(text) and all(
            a == b or a.isalpha() or a in _WESTERN_SIGNS for a, b in zip(candidate, text)
        ):
            return candidate
    return text


def fix_text(text: str) -> str:
    """Repair mojibake but keep curly quotes and dashes: they tell quotes apart."""
    return ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")


def parse_datetime(value: Any) -> datetime | None:
    """A timezone-aware UTC datetime from an ISO string or date, else None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            try:
                from dateutil import parser as dateparser

                dt = dateparser.parse(str(value))
            except (ValueError, OverflowError):
                return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def _clean_str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def read_metadata(input_dir: Path, result: IngestResult) -> dict[str, dict[str, str]]:
    """Rows of sources.csv keyed by the file path it names (relative, posix)."""
    path = input_dir / METADATA_FILE
    if not path.exists():
        return {}
    try:
        text = decode_bytes(path.read_bytes())
        rows = list(csv.DictReader(text.splitlines()))
    except (DecodeError, csv.Error) as exc:
        result.rejects.append(Reject(METADATA_FILE, "ingest", f"metadata file unreadable: {exc}"))
        return {}
    out = {}
    for row in rows:
        name = _clean_str(row.get("file"))
        if name:
            out[Path(name).as_posix()] = {k: v for k, v in row.items() if k and v not in (None, "")}
    return out


def read_txt(source: str, text: str) -> list[RawArticle]:
    return [RawArticle(source=source, source_format="txt", text=text)]


def read_html(source: str, text: str) -> list[RawArticle]:
    import trafilatura

    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, favor_precision=True)
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    # Navigation crumbs survive extraction on pages without an article.
    if len(body.split()) < MIN_HTML_ARTICLE_WORDS:
        raise DecodeError("HTML page with no article in it")
    site = _clean_str(getattr(doc, "sitename", None))
    return [RawArticle(
        source=source,
        source_format="html",
        text=doc.text,
        title=_clean_str(getattr(doc, "title", None)),
        outlet=site,
        outlet_evidence="html" if site else None,
        url=_clean_str(getattr(doc, "url", None)),
        published_at=parse_datetime(getattr(doc, "date", None)),
        language=_clean_str(getattr(doc, "language", None)),
    )]


def read_jsonl(source: str, text: str, result: IngestResult) -> list[RawArticle]:
    articles = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}#{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.rejects.append(Reject(where, "ingest", f"JSON line does not parse: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(record, dict):
            result.rejects.append(Reject(where, "ingest", "JSON line is not an object"))
            continue
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            result.rejects.append(Reject(where, "ingest", "JSON line has no 'text' string"))
            continue
        outlet = _clean_str(record.get("outlet"))
        articles.append(RawArticle(
            source=where,
            source_format="jsonl",
            text=fix_text(body.replace("\r\n", "\n")),
            title=_clean_str(record.get("title")),
            outlet=outlet,
            outlet_evidence="metadata" if outlet else None,
            url=_clean_str(record.get("url")),
            published_at=parse_datetime(record.get("published_at")),
            language=_clean_str(record.get("language")),
            source_record_id=_clean_str(record.get("id")),
        ))
    return articles


def iter_input_files(input_dir: Path) -> Iterator[Path]:
    for path in sorted(input_dir.rglob("*")):
        rel = path.relative_to(input_dir)
        if path.is_dir() or any(part.startswith(".") for part in rel.parts):
            continue
        if rel.as_posix() == METADATA_FILE:
            continue
        yield path


def ingest_folder(input_dir: Path, max_file_bytes: int) -> IngestResult:
    """Read every supported file under ``input_dir``."""
    input_dir = Path(input_dir)
    result = IngestResult()
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder not found: {input_dir}")
    metadata = read_metadata(input_dir, result)
    for path in iter_input_files(input_dir):
        source = path.relative_to(input_dir).as_posix()
        kind = SUPPORTED.get(path.suffix.lower())
        if kind is None:
            result.rejects.append(Reject(source, "ingest", f"unsupported file type '{path.suffix or '(none)'}'; expected .txt, .html, .htm or .jsonl"))
            continue
        size = path.stat().st_size
        if size > max_file_bytes:
            result.rejects.append(Reject(source, "ingest", f"file is {size:,} bytes, above the {max_file_bytes:,}-byte limit"))
            continue
        try:
            text = decode_bytes(path.read_bytes())
            if kind == "txt":
                found = read_txt(source, text)
            elif kind == "html":
                found = read_html(source, text)
            else:
                found = read_jsonl(source, text, result)
        except DecodeError as exc:
            result.rejects.append(Reject(source, "ingest", str(exc)))
            continue
        except OSError as exc:
            result.rejects.append(Reject(source, "ingest", f"cannot read file: {exc.strerror or exc}"))
            continue
        meta = metadata.get(source) or metadata.get(path.name) or {}
        for article in found:
            apply_metadata(article, meta)
        result.articles.extend(found)
    return result


def apply_metadata(article: RawArticle, meta: dict[str, str]) -> None:
    """sources.csv wins over what the file itself says."""
    if not meta:
        return
    if meta.get("outlet"):
        article.outlet = meta["outlet"].strip()
        article.outlet_evidence = "metadata"
    if meta.get("url"):
        article.url = meta["url"].strip()
    if meta.get("published_at"):
        article.published_at = parse_datetime(meta["published_at"]) or article.published_at
    if meta.get("language"):
        article.language = meta["language"].strip()
