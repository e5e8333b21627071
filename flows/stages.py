"""The pipeline's stages as plain functions over Parquet.

Each stage reads its inputs from the staging folder, writes its outputs there
and returns small references. ``commit`` then moves every staged table into
``tables/`` with one rename each, so queries never see a table half-built.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.documents import build_documents
from flows.schema import TABLES
from flows.settings import Settings
from flows.storage import TableRef, file_sha256, read_rows, read_table, write_table


class RunLocked(RuntimeError):
    """Another run holds the data folder."""


@contextmanager
def data_lock(data_dir: Path) -> Iterator[None]:
    """One run per data folder: a second run exits instead of interleaving."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    fh = open(data_dir / ".counterclaim.lock", "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLocked(
                f"another counterclaim run is using {data_dir}; wait for it to finish, or use another --data folder"
            ) from None
        yield
    finally:
        fh.close()


def staging_dir(settings: Settings) -> Path:
    return settings.data_dir / "staging"


def reset_staging(settings: Settings) -> None:
    """A killed run leaves its staging behind; a new run starts it afresh."""
    shutil.rmtree(staging_dir(settings), ignore_errors=True)
    staging_dir(settings).mkdir(parents=True)


def prepare(settings: Settings) -> dict[str, Any]:
    """Ingest and clean the input folder."""
    found = build_documents(
        settings.input_location, settings.max_file_bytes, settings.max_doc_chars, settings.cache_dir
    )
    out = staging_dir(settings)
    return {
        "documents": write_table(out, "documents", found.documents).to_dict(),
        "removed_lines": write_table(out, "removed_lines", found.removed_lines).to_dict(),
        "rejects": write_table(out, "rejects", found.rejects).to_dict(),
    }


def deduplicate(settings: Settings) -> dict[str, Any]:
    """Mark copies, link rewrites and group stories."""
    from flows.dedup import deduplicate as find_duplicates

    out = staging_dir(settings)
    documents = read_rows(out, "documents")
    clusters, pairs = find_duplicates(documents, settings)
    for doc in documents:
        found = clusters.get(doc["doc_id"], {})
        doc["duplicate_of"] = found.get("duplicate_of")
        doc["story_id"] = found.get("story_id")
    return {
        "documents": write_table(out, "documents", documents).to_dict(),
        "near_duplicates": write_table(out, "near_duplicates", pairs).to_dict(),
    }


def canonical_doc_ids(settings: Settings) -> list[str]:
    docs = read_table(staging_dir(settings), "documents")
    canonical = docs.filter(pc.is_null(docs["duplicate_of"]))
    return sorted(canonical["doc_id"].to_pylist())


def run_versions(settings: Settings) -> dict[str, str]:
    """Extraction code and model versions, fixed once per run (see flows/extract.py)."""
    from flows.extract import run_versions as versions_of

    return versions_of(settings.spacy_model)


def extract(settings: Settings, doc_ids: list[str], versions: dict[str, str] | None = None) -> dict[str, int]:
    """spaCy over one batch of canonical documents, through the cache."""
    from flows.extract import extract_batch

    # Only this batch's rows and columns: every batch reading the whole table
    # would make the stage quadratic in the corpus.
    docs = read_table(
        staging_dir(settings), "documents",
        columns=["doc_id", "content_hash", "text"], doc_ids=doc_ids,
    ).to_pylist()
    stats = extract_batch(
        docs, settings.cache_dir, settings.spacy_model, settings.nlp_batch_size, settings.n_process, versions
    )
    return {"processed": stats.processed, "reused": stats.reused, "tokens": stats.tokens}


def assemble(settings: Settings, versions: dict[str, str] | None = None) -> dict[str, Any]:
    """Entities, quotes and claims tables from the cached per-document results.

    On unchanged input (same staged documents, model and code) the previous
    run's tables are reused whole from ``cache/assembly/``; otherwise only the
    changed documents' rows and the changed stories' propositions are
    recomputed (the assembly memo in flows/extract.py).
    """
    from flows.extract import ASSEMBLED_TABLES, assembly_key, load_assembled, prune_nlp_cache, store_assembled
    from flows.extract import assemble as assemble_rows

    versions = versions or run_versions(settings)
    out = staging_dir(settings)
    key = assembly_key(out / "documents" / "documents.parquet", versions["model"], versions["code"])
    cached = load_assembled(settings.cache_dir, key, out)
    if cached is not None:
        return cached
    documents = read_rows(out, "documents")
    rows = assemble_rows(
        documents, settings.cache_dir, versions["model"], versions["code"], memo_dir=settings.cache_dir
    )
    refs = {name: write_table(out, name, rows[name]).to_dict() for name in ASSEMBLED_TABLES}
    store_assembled(settings.cache_dir, key, refs)
    # every result this run needs has been read; the rest belong to edited or removed
    # articles, or to another model or code version
    prune_nlp_cache(settings.cache_dir, documents, versions["model"], versions["code"])
    return refs


def commit(settings: Settings) -> dict[str, dict[str, Any]]:
    """Move every staged table into place, one atomic rename per table."""
    staged = staging_dir(settings)
    refs = {}
    for name in TABLES:
        src = staged / name / f"{name}.parquet"
        if not src.exists():
            raise FileNotFoundError(f"stage output missing for table '{name}'")
        dest_dir = settings.table_dir(name)
        dest_dir.mkdir(parents=True, exist_ok=True)
        dest = dest_dir / f"{name}.parquet"
        os.replace(src, dest)
        for other in dest_dir.glob("*.parquet"):
            if other != dest:
                other.unlink()
        rows = pq.ParquetFile(dest).metadata.num_rows
        refs[name] = TableRef(name, str(dest), rows, file_sha256(dest)).to_dict()
    shutil.rmtree(staged, ignore_errors=True)
    return refs


def publish(settings: Settings, refs: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """Upload the committed tables to ``output_url`` as a new version (flows/storage.py)."""
    if not settings.output_url:
        return None
    from flows.storage import publish_tables

    return publish_tables(refs, settings.output_url, settings.keep_versions)


def batches(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def run_all(settings: Settings) -> dict[str, Any]:
    """Every stage in order, without Prefect: for tests and for embedding."""
    with data_lock(settings.data_dir):
        reset_staging(settings)
        prepare(settings)
        deduplicate(settings)
        versions = run_versions(settings)
        totals = {"processed": 0, "reused": 0, "tokens": 0}
        for batch in batches(canonical_doc_ids(settings), settings.docs_per_task):
            for k, v in extract(settings, batch, versions).items():
                totals[k] += v
        assemble(settings, versions)
        refs = commit(settings)
        published = publish(settings, refs)
    return {"tables": refs, "nlp": totals, "published": published}
