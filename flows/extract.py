"""NLP extraction with a per-document cache, then the cross-document assembly.

Per-document results (entities, quotes, claims) are cached under the data
folder, keyed on the document's content hash, the model's name and version and
the extraction code's own hash, so an unchanged article never meets spaCy twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from flows.storage import atomic_write_json

# The modules whose code decides what extraction returns.
_EXTRACTION_MODULES = ("nlp.py", "entities.py", "quotes.py", "claims.py")


@lru_cache(maxsize=1)
def extraction_code_version() -> str:
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in _EXTRACTION_MODULES:
        path = here / name
        if path.exists():
            h.update(name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def cache_key(content_hash: str, model: str) -> str:
    return hashlib.sha256(f"{content_hash}|{model}|{extraction_code_version()}".encode()).hexdigest()


def cache_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "nlp" / key[:2] / f"{key}.json"


@dataclass
class BatchStats:
    processed: int = 0
    reused: int = 0
    tokens: int = 0


def extract_batch(
    docs: Iterable[dict[str, Any]],
    cache_dir: Path,
    model_setting: str,
    batch_size: int = 32,
    n_process: int = 1,
) -> BatchStats:
    """Run spaCy over the documents whose results are not cached yet."""
    from flows.nlp import analyse, load_nlp, model_identity

    nlp = load_nlp(model_setting)
    model = model_identity(nlp)
    todo = []
    stats = BatchStats()
    for doc in docs:
        path = cache_path(cache_dir, cache_key(doc["content_hash"], model))
        if path.exists():
            stats.reused += 1
        else:
            todo.append((path, doc["text"]))
    for (path, _), result in zip(todo, analyse(nlp, (t for _, t in todo), batch_size, n_process)):
        atomic_write_json(path, result)
        stats.processed += 1
        stats.tokens += result["n_tokens"]
    return stats


# Besides the extraction modules, what decides the assembled tables' bytes.
_ASSEMBLY_MODULES = ("extract.py", "schema.py", "storage.py")
ASSEMBLED_TABLES = ("entities", "quotes", "claims")


def assembly_key(documents_parquet: Path, model: str) -> str:
    """Key of the assembled tables: the staged documents table (every column that
    assembly reads: text, content hashes, duplicate_of, story_id, published_at),
    the model, and the code of extraction, assembly and Parquet writing.

    The per-document NLP results are themselves keyed on content hash, model and
    extraction code, so they are covered by the same inputs.
    """
    import pyarrow

    from flows.storage import file_sha256

    here = Path(__file__).parent
    h = hashlib.sha256()
    h.update(f"{model}|{extraction_code_version()}|pyarrow {pyarrow.__version__}|".encode())
    for name in _ASSEMBLY_MODULES:
        h.update(name.encode())
        h.update((here / name).read_bytes())
    h.update(file_sha256(Path(documents_parquet)).encode())
    return h.hexdigest()


def assembly_cache_dir(cache_dir: Path) -> Path:
    return Path(cache_dir) / "assembly"


def load_assembled(cache_dir: Path, key: str, staging: Path) -> dict[str, dict[str, Any]] | None:
    """Put the cached assembled tables for ``key`` into ``staging``; None on a miss."""
    import pyarrow.parquet as pq

    from flows.storage import TableRef, atomic_write_bytes, file_sha256

    folder = assembly_cache_dir(cache_dir) / key
    if not all((folder / f"{name}.parquet").is_file() for name in ASSEMBLED_TABLES):
        return None
    refs = {}
    for name in ASSEMBLED_TABLES:
        dest = Path(staging) / name / f"{name}.parquet"
        atomic_write_bytes(dest, (folder / f"{name}.parquet").read_bytes())
        refs[name] = TableRef(name, str(dest), pq.ParquetFile(dest).metadata.num_rows, file_sha256(dest)).to_dict()
    return refs


def store_assembled(cache_dir: Path, key: str, refs: dict[str, dict[str, Any]]) -> None:
    """Keep the assembled tables of this run (only the latest key) for a rerun on unchanged input."""
    import os
    import shutil
    import tempfile

    root = assembly_cache_dir(cache_dir)
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    try:
        for name in ASSEMBLED_TABLES:
            shutil.copyfile(refs[name]["path"], tmp / f"{name}.parquet")
        final = root / key
        if final.exists():
            shutil.rmtree(tmp)
        else:
            os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for other in root.iterdir():
        if other.name != key:
            shutil.rmtree(other, ignore_errors=True)


def load_cached(cache_dir: Path, content_hash: str, model: str) -> dict[str, Any]:
    with open(cache_path(cache_dir, cache_key(content_hash, model)), encoding="utf-8") as fh:
        return json.load(fh)


def assemble(documents: list[dict[str, Any]], cache_dir: Path, model: str) -> dict[str, list[dict[str, Any]]]:
    """Entity, quote and claim rows for the canonical documents, with ids and
    cross-document resolution (speakers, sides, propositions)."""
    from flows.claims import assign_propositions, resolve_across_documents
    from flows.entities import resolve_people

    entities: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for doc in sorted(documents, key=lambda d: d["doc_id"]):
        if doc.get("duplicate_of"):
            continue
        result = load_cached(cache_dir, doc["content_hash"], model)
        doc_id = doc["doc_id"]
        entities.extend({**e, "doc_id": doc_id} for e in result["entities"])
        quote_ids = {}
        for i, q in enumerate(result["quotes"]):
            quote_ids[i] = f"{doc_id}-q{i:03d}"
            quotes.append({**q, "doc_id": doc_id, "quote_id": quote_ids[i]})
        for i, c in enumerate(result["claims"]):
            claims.append({
                **c,
                "doc_id": doc_id,
                "claim_id": f"{doc_id}-c{i:03d}",
                "quote_id": quote_ids.get(c.get("quote_index")) if c.get("quote_index") is not None else None,
            })

    # "Kirby" in one article is "John Kirby" in another: resolve across the corpus.
    people = resolve_people(
        [e["canonical"] for e in entities if e["label"] == "PERSON"]
        + [q["speaker_canonical"] for q in quotes if q.get("speaker_canonical")]
    )
    for e in entities:
        if e["label"] == "PERSON":
            e["canonical"] = people.get(e["canonical"], e["canonical"])
    for q in quotes:
        if q.get("speaker_canonical"):
            q["speaker_canonical"] = people.get(q["speaker_canonical"], q["speaker_canonical"])
    for c in claims:
        if c.get("claimant"):
            c["claimant"] = people.get(c["claimant"], c["claimant"])

    claims = resolve_across_documents(claims, quotes)
    claims = assign_propositions(claims, documents)
    return {"entities": entities, "quotes": quotes, "claims": claims}
