"""From an input folder to document rows: ingest, then clean, then drop what is empty.

Both steps are cached per input file under ``cache_dir`` (when given), so a
rerun re-reads every file's bytes but decodes and cleans only what changed;
entries no file of the run uses any more are deleted.
Cleaning depends on one thing outside its own file: the lines an outlet
repeats across its articles (boilerplate). The clean cache key holds the
boilerplate lines that occur in the file's articles, so a new article that makes
a line boilerplate re-cleans exactly the files that contain that line.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from flows.clean import CleanArticle, clean_article, lines_repeated_within_outlets, normalise_line
from flows.ingest import (
    IngestResult, RawArticle, Reject, article_to_json, cache_entry, cached_json, doc_id_for, ingest_folder,
    prune_cache,
)


@dataclass
class DocumentSet:
    documents: list[dict[str, Any]] = field(default_factory=list)
    removed_lines: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, str]] = field(default_factory=list)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Whose code decides a cleaned article (clean.py calls entities.country_of).
_CLEAN_MODULES = ("clean.py", "entities.py", "documents.py")


@lru_cache(maxsize=1)
def clean_code_version() -> str:
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in _CLEAN_MODULES:
        h.update(name.encode())
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def _relevant_boilerplate(raw: RawArticle, boilerplate: set[str]) -> list[str]:
    """The boilerplate lines this article contains: all that its cleaning reads of the corpus."""
    if not boilerplate:
        return []
    return sorted({normalise_line(line) for line in raw.text.split("\n") if line.strip()} & boilerplate)


def _clean_key(articles: list[RawArticle], boilerplate: set[str]) -> str:
    h = hashlib.sha256(clean_code_version().encode())
    for raw in articles:
        h.update(json.dumps([article_to_json(raw), _relevant_boilerplate(raw, boilerplate)], sort_keys=True).encode())
    return h.hexdigest()


def _cleaned_from_json(rows: list[dict[str, Any]]) -> list[CleanArticle]:
    return [CleanArticle(**{**r, "removed": [tuple(x) for x in r["removed"]]}) for r in rows]


def _clean_all(ingested: IngestResult, boilerplate: set[str], cache_dir: Path | None) -> list[CleanArticle]:
    """Every article cleaned, one input file at a time through the clean cache."""
    cleaned: list[CleanArticle] = []
    used: set[str] = set()
    for first, end in ingested.file_spans:
        articles = ingested.articles[first:end]
        entry = None
        if cache_dir is not None:
            key = _clean_key(articles, boilerplate)
            used.add(key)
            entry = cache_entry(cache_dir, "clean", key)
        cleaned.extend(cached_json(
            entry,
            lambda: [clean_article(raw, boilerplate) for raw in articles],
            lambda rows: [c.__dict__ for c in rows],
            _cleaned_from_json,
        ))
    if cache_dir is not None:
        prune_cache(Path(cache_dir) / "clean", used)
    return cleaned


def build_documents(
    input_dir: Path | str, max_file_bytes: int, max_doc_chars: int, cache_dir: Path | None = None
) -> DocumentSet:
    ingested = ingest_folder(input_dir, max_file_bytes, cache_dir)
    out = DocumentSet(rejects=[r.to_row() for r in ingested.rejects])
    boilerplate = lines_repeated_within_outlets(ingested.articles)
    cleaned = _clean_all(ingested, boilerplate, cache_dir)
    for raw, clean in zip(ingested.articles, cleaned, strict=True):
        doc_id = doc_id_for(raw.source)
        if not clean.text.strip():
            out.rejects.append(Reject(raw.source, "clean", "no article text left after cleaning").to_row())
            continue
        if len(clean.text) > max_doc_chars:
            out.rejects.append(Reject(raw.source, "clean", f"article is {len(clean.text):,} characters, above the {max_doc_chars:,} limit").to_row())
            continue
        # Only for kept articles: every removed line's doc_id is in documents.
        out.removed_lines.extend(
            {"doc_id": doc_id, "line_no": no, "text": line, "reason": reason}
            for no, line, reason in clean.removed
        )
        out.documents.append({
            "doc_id": doc_id,
            "source": raw.source,
            "source_record_id": raw.source_record_id,
            "source_format": raw.source_format,
            "outlet": clean.outlet,
            "outlet_evidence": clean.outlet_evidence,
            "cited_outlets": clean.cited_outlets,
            "url": raw.url,
            "published_at": raw.published_at,
            "language": raw.language,
            "title": clean.title,
            "text": clean.text,
            "content_hash": content_hash(clean.text),
            "n_chars": len(clean.text),
            "duplicate_of": None,
            "story_id": None,
        })
    return out
