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
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, TypeVar

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
    # (first, end) of the articles each file gave: the clean cache works file by file.
    file_spans: list[tuple[int, int]] = field(default_factory=list)


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

                # dateutil fills missing parts from today, so "March 5" would change
                # year with the calendar and a rerun would not give the same bytes.
                # Two fixed defaults that differ everywhere show what the text lacks:
                # no year is no date; a missing day or month is the first.
                dt = dateparser.parse(str(value), default=datetime(2000, 1, 1))
                if dateparser.parse(str(value), default=datetime(2001, 2, 2)).year != dt.year:
                    return None
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


def read_metadata(folder: InputFolder, result: IngestResult) -> dict[str, dict[str, str]]:
    """Rows of sources.csv keyed by the file path it names (relative, posix)."""
    if not folder.exists(METADATA_FILE):
        return {}
    try:
        text = decode_bytes(folder.read(METADATA_FILE))
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


def is_url(location: str | Path) -> bool:
    """An fsspec URL ("s3://bucket/articles", "memory://x"), not a local path."""
    return isinstance(location, str) and "://" in location


class InputFolder:
    """The articles' location: a local folder, or any fsspec URL (s3://, gs://,
    memory://, file://) so that a run on a cluster reads a shared bucket.

    Local folders are walked with pathlib exactly as before; only URLs go through
    fsspec (installed with Prefect; s3:// also needs s3fs).
    """

    def __init__(self, location: str | Path):
        loc = str(location)
        self.location = loc
        self.fs = None
        if is_url(loc) and not loc.startswith("file://"):
            import fsspec

            self.fs, self.root = fsspec.core.url_to_fs(loc)
            self.root = self.root.rstrip("/")
        else:
            self.local = Path(loc[len("file://"):] if loc.startswith("file://") else loc)

    def is_dir(self) -> bool:
        return self.local.is_dir() if self.fs is None else self.fs.isdir(self.root)

    def files(self) -> list[tuple[str, int]]:
        """(relative posix path, size) of every candidate file, in path order,
        without hidden files or folders and without sources.csv."""
        found: list[tuple[str, int]] = []
        if self.fs is None:
            for path in sorted(self.local.rglob("*")):
                rel = path.relative_to(self.local)
                if path.is_dir() or any(part.startswith(".") for part in rel.parts):
                    continue
                found.append((rel.as_posix(), path.stat().st_size))
        else:
            for path, info in self.fs.find(self.root, detail=True).items():
                rel = path[len(self.root):].lstrip("/")
                if info.get("type") == "directory" or not rel or any(p.startswith(".") for p in rel.split("/")):
                    continue
                found.append((rel, int(info.get("size") or 0)))
            # pathlib orders by path parts; so do we, so rejects come out in the same order.
            found.sort(key=lambda f: f[0].split("/"))
        return [f for f in found if f[0] != METADATA_FILE]

    def read(self, rel: str) -> bytes:
        if self.fs is None:
            return (self.local / rel).read_bytes()
        return self.fs.cat_file(f"{self.root}/{rel}")

    def exists(self, rel: str) -> bool:
        return (self.local / rel).exists() if self.fs is None else self.fs.exists(f"{self.root}/{rel}")


_INGEST_LIBRARIES = (
    "ftfy", "trafilatura", "charset-normalizer", "python-dateutil", "lxml", "justext", "htmldate", "courlan",
)


def package_versions(packages: Iterable[str]) -> str:
    """The installed release of each package ("name version", the name alone when it is
    missing), read from metadata without importing it: for cache keys."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for package in packages:
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(package)
    return "".join(parts)


@lru_cache(maxsize=1)
def ingest_code_version() -> str:
    """What decides a file's ingested articles besides its bytes: this module and
    the libraries that decode and extract text."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    # trafilatura's own dependencies parse the page (lxml), pick its text (justext),
    # its date (htmldate) and its URL (courlan): an upgrade of any changes an article.
    h.update(package_versions(_INGEST_LIBRARIES).encode())
    return h.hexdigest()[:16]


def ingest_file(source: str, kind: str, data: bytes) -> tuple[list[RawArticle], list[Reject]]:
    """One file's articles and rejects, from its bytes alone (no metadata yet)."""
    result = IngestResult()
    try:
        text = decode_bytes(data)
        if kind == "txt":
            found = read_txt(source, text)
        elif kind == "html":
            found = read_html(source, text)
        else:
            found = read_jsonl(source, text, result)
    except DecodeError as exc:
        return [], [Reject(source, "ingest", str(exc))]
    return found, result.rejects


def article_to_json(a: RawArticle) -> dict[str, Any]:
    row = asdict(a)
    row["published_at"] = a.published_at.isoformat() if a.published_at else None
    return row


def _article_from_json(row: dict[str, Any]) -> RawArticle:
    row = dict(row)
    if row.get("published_at"):
        row["published_at"] = datetime.fromisoformat(row["published_at"])
    return RawArticle(**row)


# --- per-file caches (ingest here, clean in flows/documents.py) -----------------

T = TypeVar("T")


def ingest_key(source: str, kind: str, data: bytes) -> str:
    """The ingest cache key of a file: its path (it names the articles), its bytes and the ingest code."""
    return hashlib.sha256(
        f"{ingest_code_version()}|{kind}|{source}|".encode() + hashlib.sha256(data).digest()
    ).hexdigest()


def _ingested_to_json(found: tuple[list[RawArticle], list[Reject]]) -> dict[str, Any]:
    return {"articles": [article_to_json(a) for a in found[0]], "rejects": [r.to_row() for r in found[1]]}


def _ingested_from_json(cached: dict[str, Any]) -> tuple[list[RawArticle], list[Reject]]:
    return [_article_from_json(r) for r in cached["articles"]], [Reject(**r) for r in cached["rejects"]]


def cache_entry(cache_dir: Path, kind: str, key: str) -> Path:
    return Path(cache_dir) / kind / key[:2] / f"{key}.json"


def cached_json(
    path: Path | None, compute: Callable[[], T], to_json: Callable[[T], Any], from_json: Callable[[Any], T]
) -> T:
    """``compute()`` through the JSON entry at ``path`` (None: no cache). An entry that
    cannot be read back is recomputed and overwritten; the write is atomic, so two
    writers of one key leave one whole entry."""
    if path is not None and path.is_file():
        try:
            return from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            pass
    value = compute()
    if path is not None:
        from flows.storage import atomic_write_json

        atomic_write_json(path, to_json(value))
    return value


def prune_cache(folder: Path, keep: set[str]) -> None:
    """Delete the entries under ``folder`` other than ``keep`` (and temp files a killed
    write left). Keys hash a file's contents, so without this every edit of a file
    would leave its old entry for ever: a feed appended to hourly would be stored
    whole once per run. The caller holds the data folder's lock: no one else writes here."""
    if not folder.is_dir():
        return
    for path in folder.glob("*/*"):
        if path.is_file() and not (path.suffix == ".json" and path.stem in keep):
            path.unlink(missing_ok=True)


def ingest_folder(input_dir: Path | str, max_file_bytes: int, cache_dir: Path | None = None) -> IngestResult:
    """Read every supported file under ``input_dir`` (a folder or an fsspec URL).

    With ``cache_dir``, a file whose path and bytes were ingested before is not
    decoded again, and the entries of files no longer there are deleted.
    """
    folder = InputFolder(input_dir)
    result = IngestResult()
    if not folder.is_dir():
        raise FileNotFoundError(f"input folder not found: {input_dir}")
    metadata = read_metadata(folder, result)
    used: set[str] = set()
    for source, size in folder.files():
        kind = SUPPORTED.get(PurePosixPath(source).suffix.lower())
        if kind is None:
            suffix = PurePosixPath(source).suffix
            result.rejects.append(Reject(source, "ingest", f"unsupported file type '{suffix or '(none)'}'; expected .txt, .html, .htm or .jsonl"))
            continue
        if size > max_file_bytes:
            result.rejects.append(Reject(source, "ingest", f"file is {size:,} bytes, above the {max_file_bytes:,}-byte limit"))
            continue
        try:
            data = folder.read(source)
        except OSError as exc:
            result.rejects.append(Reject(source, "ingest", f"cannot read file: {getattr(exc, 'strerror', None) or exc}"))
            continue
        entry = None
        if cache_dir is not None:
            key = ingest_key(source, kind, data)
            used.add(key)
            entry = cache_entry(cache_dir, "ingest", key)
        found, rejects = cached_json(entry, lambda: ingest_file(source, kind, data), _ingested_to_json, _ingested_from_json)
        result.rejects.extend(rejects)
        meta = metadata.get(source) or metadata.get(PurePosixPath(source).name) or {}
        for article in found:
            apply_metadata(article, meta)
        result.file_spans.append((len(result.articles), len(result.articles) + len(found)))
        result.articles.extend(found)
    if cache_dir is not None:
        prune_cache(Path(cache_dir) / "ingest", used)
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
