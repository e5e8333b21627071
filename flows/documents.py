"""From an input folder to document rows: ingest, then clean, then drop what is empty."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.clean import clean_article, lines_repeated_within_outlets
from flows.ingest import Reject, doc_id_for, ingest_folder


@dataclass
class DocumentSet:
    documents: list[dict[str, Any]] = field(default_factory=list)
    removed_lines: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, str]] = field(default_factory=list)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_documents(input_dir: Path, max_file_bytes: int, max_doc_chars: int) -> DocumentSet:
    ingested = ingest_folder(input_dir, max_file_bytes)
    out = DocumentSet(rejects=[r.to_row() for r in ingested.rejects])
    boilerplate = lines_repeated_within_outlets(ingested.articles)
    for raw in ingested.articles:
        doc_id = doc_id_for(raw.source)
        cleaned = clean_article(raw, boilerplate)
        if not cleaned.text.strip():
            out.rejects.append(Reject(raw.source, "clean", "no article text left after cleaning").to_row())
            continue
        if len(cleaned.text) > max_doc_chars:
            out.rejects.append(Reject(raw.source, "clean", f"article is {len(cleaned.text):,} characters, above the {max_doc_chars:,} limit").to_row())
            continue
        # Only for kept articles: every removed line's doc_id is in documents.
        out.removed_lines.extend(
            {"doc_id": doc_id, "line_no": no, "text": line, "reason": reason}
            for no, line, reason in cleaned.removed
        )
        out.documents.append({
            "doc_id": doc_id,
            "source": raw.source,
            "source_record_id": raw.source_record_id,
            "source_format": raw.source_format,
            "outlet": cleaned.outlet,
            "outlet_evidence": cleaned.outlet_evidence,
            "cited_outlets": cleaned.cited_outlets,
            "url": raw.url,
            "published_at": raw.published_at,
            "language": raw.language,
            "title": cleaned.title,
            "text": cleaned.text,
            "content_hash": content_hash(cleaned.text),
            "n_chars": len(cleaned.text),
            "duplicate_of": None,
            "story_id": None,
        })
    return out
