"""Incremental runs: after any sequence of additions, removals and edits, the
tables are byte for byte those of a full rebuild; the per-file ingest and clean
caches, the assembly memo and the run's version pinning each do their part."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows.schema import TABLES

from conftest import CORPORA, SEEDS, make_settings

FNC = CORPORA / "fnc1_train_bodies.jsonl"
needs_fnc = pytest.mark.skipif(not FNC.exists(), reason="shared FNC-1 corpus not present")


def fnc_lines(n: int, start: int = 0) -> list[str]:
    out = []
    with open(FNC, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= start + n:
                break
            if i >= start and line.strip():
                out.append(line.rstrip("\n"))
    return out


def tables(settings) -> dict[str, bytes]:
    return {name: (settings.table_dir(name) / f"{name}.parquet").read_bytes() for name in TABLES}


def full_rebuild(inputs: Path, incremental_settings, where: Path) -> dict[str, bytes]:
    """A fresh data folder that shares only the NLP cache (keyed on content, model
    and code): every incremental cache of the other folder is out of the picture."""
    from flows import stages

    shutil.rmtree(where, ignore_errors=True)
    settings = make_settings(inputs, where)
    shutil.copytree(incremental_settings.cache_dir / "nlp", settings.cache_dir / "nlp")
    stages.run_all(settings)
    return tables(settings)


def built_from_seeds(tmp_path: Path, n: int):
    """A data folder built from the first n seeds: (input folder, all seeds, settings)."""
    from flows import stages

    inputs = tmp_path / "in"
    inputs.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds[:n]:
        shutil.copy(seed, inputs / seed.name)
    settings = make_settings(inputs, tmp_path / "data")
    stages.run_all(settings)
    return inputs, seeds, settings


def assert_key_follows(monkeypatch, version_of, packages: tuple[str, ...]) -> None:
    """version_of() (an lru_cache'd key part) changes when any of the packages' releases does."""
    from importlib import metadata

    version_of.cache_clear()
    before = version_of()
    real = metadata.version
    for package in packages:
        monkeypatch.setattr(metadata, "version", lambda p, pkg=package: "0.0.0-other" if p == pkg else real(p))
        version_of.cache_clear()
        try:
            assert version_of() != before, package
        finally:
            version_of.cache_clear()


BOILERPLATE = "The Example Wire newsroom verified this report with two sources."


def with_line(text: str, line: str) -> str:
    """The line as a paragraph of its own, inside the body (not a trailing fragment)."""
    parts = text.split("\n\n")
    return "\n\n".join(parts[:3] + [line] + parts[3:])


@needs_fnc
def test_additions_removals_and_edits_equal_a_full_rebuild(tmp_path):
    from flows import stages
    from flows.storage import read_rows

    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(seed, inputs / seed.name)
    bodies = fnc_lines(12)
    (inputs / "feed_a.jsonl").write_text("\n".join(bodies[:6]) + "\n", encoding="utf-8")
    seed_text = (SEEDS / "002_c630794e0e8874ab.txt").read_text(encoding="utf-8")
    # One outlet's article carries a line; once a second article of that outlet
    # carries it too, it is boilerplate, and the first article must be re-cleaned.
    (inputs / "wire_1.txt").write_text(with_line(seed_text, BOILERPLATE), encoding="utf-8")
    (inputs / "sources.csv").write_text("file,outlet\nwire_1.txt,Example Wire\nwire_2.txt,Example Wire\n", encoding="utf-8")
    settings = make_settings(inputs, tmp_path / "data")

    def step(label):
        stages.run_all(settings)
        assert tables(settings) == full_rebuild(inputs, settings, tmp_path / "rebuild"), label

    step("initial")
    texts = {d["source"]: d["text"] for d in read_rows(settings.tables_dir, "documents")}
    assert BOILERPLATE in texts["wire_1.txt"]

    other = (SEEDS / "003_5472ee3d76821457.txt").read_text(encoding="utf-8")
    (inputs / "wire_2.txt").write_text(with_line(other, BOILERPLATE), encoding="utf-8")
    step("a second article of the outlet makes a line boilerplate")
    texts = {d["source"]: d["text"] for d in read_rows(settings.tables_dir, "documents")}
    assert BOILERPLATE not in texts["wire_1.txt"] and BOILERPLATE not in texts["wire_2.txt"]

    (inputs / "feed_b.jsonl").write_text("\n".join(bodies[6:]) + "\n", encoding="utf-8")
    step("a new file of six articles")

    sorted(inputs.glob("0*.txt"))[0].unlink()
    step("a file removed")

    (inputs / "wire_2.txt").unlink()
    step("the boilerplate line is an ordinary line again")
    texts = {d["source"]: d["text"] for d in read_rows(settings.tables_dir, "documents")}
    assert BOILERPLATE in texts["wire_1.txt"]

    (inputs / "feed_a.jsonl").write_text("\n".join(bodies[:3] + bodies[4:6]) + "\n", encoding="utf-8")
    step("a line removed from inside a jsonl file (later lines renumbered)")

    (inputs / "feed_b.jsonl").write_text("\n".join(bodies[6:] + bodies[6:8]) + "\n", encoding="utf-8")
    step("exact copies added: deduplication changes, not NLP")

    (inputs / "sources.csv").write_text("file,outlet\nwire_1.txt,Other Daily\n", encoding="utf-8")
    step("metadata changed")


def test_noop_rerun_decodes_cleans_and_assembles_nothing(tmp_path, monkeypatch):
    from flows import documents, extract, ingest, stages

    settings = make_settings(SEEDS, tmp_path / "data")
    stages.run_all(settings)
    first = tables(settings)

    def refuse(*_a, **_k):
        raise AssertionError("recomputed on unchanged input")

    monkeypatch.setattr(ingest, "ingest_file", refuse)
    monkeypatch.setattr(documents, "clean_article", refuse)
    monkeypatch.setattr(extract, "assemble", refuse)
    monkeypatch.setattr("flows.nlp.load_nlp", refuse)
    again = stages.run_all(settings)
    assert again["nlp"]["processed"] == 0
    assert tables(settings) == first


def test_one_new_article_reuses_every_other_documents_assembly(tmp_path, monkeypatch):
    from flows import extract, stages

    inputs, seeds, settings = built_from_seeds(tmp_path, 4)

    loaded = []
    real = extract.load_cached
    monkeypatch.setattr(extract, "load_cached", lambda *a, **k: loaded.append(a[1]) or real(*a, **k))
    shutil.copy(seeds[4], inputs / seeds[4].name)
    result = stages.run_all(settings)
    assert result["nlp"]["processed"] == 1
    assert len(loaded) == 1, "only the new article's NLP result is read"


def test_propositions_by_story_equal_the_whole_corpus_call(seed_build):
    from flows.claims import assign_propositions
    from flows.extract import propositions_by_story
    from flows.storage import read_rows

    settings, _ = seed_build
    docs = read_rows(settings.tables_dir, "documents")
    claims = [{k: v for k, v in c.items() if k not in ("proposition_id", "proposition")}
              for c in read_rows(settings.tables_dir, "claims")]
    assert claims
    # Put the seeds in two stories, so the partition has more than one part.
    for i, d in enumerate(sorted(docs, key=lambda d: d["doc_id"])):
        d["story_id"] = f"story-{i % 2}"
    assert propositions_by_story(claims, docs) == assign_propositions(claims, docs)
    memo = {"stories": {}}
    propositions_by_story(claims, docs, memo)
    assert len(memo["stories"]) == 2


def test_model_identity_without_spacy_matches_the_loaded_model(nlp):
    from flows import nlp as nlp_module
    from flows.extract import _AUTO_MODELS, model_identity_of

    assert _AUTO_MODELS == nlp_module.AUTO_MODELS
    assert model_identity_of("auto") == nlp_module.model_identity(nlp)


def test_a_worker_with_other_code_refuses_to_write_the_cache(tmp_path):
    from flows.extract import VersionMismatch, extract_batch, run_versions

    docs = [{"doc_id": "d", "content_hash": "h" * 64, "text": "Kim said the claims were groundless."}]
    stale = {**run_versions("auto"), "code": "000000000000"}
    with pytest.raises(VersionMismatch, match="extraction code"):
        extract_batch(docs, tmp_path, "auto", versions=stale)
    wrong_model = {**run_versions("auto"), "model": "en_core_web_xx-0.0"}
    with pytest.raises(VersionMismatch, match="spaCy model"):
        extract_batch(docs, tmp_path, "auto", versions=wrong_model)
    assert not (tmp_path / "nlp").exists()
    stats = extract_batch(docs, tmp_path, "auto", versions=run_versions("auto"))
    assert stats.processed == 1 and len(list((tmp_path / "nlp").rglob("*.json"))) == 1


def test_ingest_cache_returns_what_ingest_returned(tmp_path):
    from flows.ingest import ingest_folder

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "feed.jsonl").write_text(
        json.dumps({"id": "a", "text": "Body one.", "published_at": "2022-11-08T10:00:00+02:00", "outlet": "W"})
        + "\nnot json\n", encoding="utf-8")
    shutil.copy(SEEDS / "002_c630794e0e8874ab.txt", inputs / "a.txt")
    plain = ingest_folder(inputs, 10**7)
    first = ingest_folder(inputs, 10**7, tmp_path / "cache")
    again = ingest_folder(inputs, 10**7, tmp_path / "cache")
    assert len(list((tmp_path / "cache" / "ingest").rglob("*.json"))) == 2
    assert plain.articles == first.articles == again.articles
    assert plain.rejects == first.rejects == again.rejects


def test_edited_and_removed_files_leave_no_cache_entries_behind(tmp_path):
    # Keys hash a file's contents: without pruning, a feed appended to on every run
    # would be stored whole once per run, for ever.
    from flows.documents import build_documents

    inputs, cache = tmp_path / "in", tmp_path / "cache"
    inputs.mkdir()
    shutil.copy(SEEDS / "002_c630794e0e8874ab.txt", inputs / "a.txt")
    feed = inputs / "feed.jsonl"
    lines = [json.dumps({"id": str(i), "text": f"Body number {i} of the feed says something new."}) for i in range(4)]
    for n in range(1, 5):
        feed.write_text("\n".join(lines[:n]) + "\n", encoding="utf-8")
        build_documents(inputs, 10**7, 10**6, cache)
    for kind in ("ingest", "clean"):
        assert len(list((cache / kind).rglob("*.json"))) == 2, kind
    stray = next((cache / "ingest").glob("*/")) / ".x.json.abc.tmp"
    stray.write_text("half", encoding="utf-8")  # what a write killed before its rename leaves
    (inputs / "a.txt").unlink()
    again = build_documents(inputs, 10**7, 10**6, cache)
    assert len(again.documents) == 4
    for kind in ("ingest", "clean"):
        assert len([p for p in (cache / kind).rglob("*") if p.is_file()]) == 1, kind


def test_ingest_cache_key_follows_the_libraries_behind_html_extraction(monkeypatch):
    # trafilatura finds a page's date with htmldate and parses it with lxml: upgrading
    # either can change an article, so a cached one must not be reused.
    from flows import ingest

    assert_key_follows(monkeypatch, ingest.ingest_code_version, ("htmldate", "lxml", "justext", "courlan"))


def test_nlp_cache_keeps_only_what_the_last_run_used(tmp_path):
    # NLP results are keyed on text, model and code: an edited or removed article, or a
    # code or library upgrade, would otherwise leave its results behind for ever.
    from flows import stages
    from flows.extract import cache_key, cache_path

    inputs, seeds, settings = built_from_seeds(tmp_path, 3)
    nlp_dir = settings.cache_dir / "nlp"
    assert len(list(nlp_dir.rglob("*.json"))) == 3
    stale = cache_path(settings.cache_dir, cache_key("0" * 64, "other_model-1.0", "oldcode"))
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("{}", encoding="utf-8")
    (inputs / seeds[0].name).unlink()
    edited = inputs / seeds[1].name
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nA line added in an edit of the article.\n", encoding="utf-8")
    result = stages.run_all(settings)
    assert result["nlp"]["processed"] == 1  # the edited article
    assert not stale.exists()
    assert len(list(nlp_dir.rglob("*.json"))) == 2


def test_nlp_cache_key_follows_the_spacy_and_thinc_releases(monkeypatch):
    # The same model weights under another spaCy or thinc release can tokenise or tag
    # differently: a cached result of the old release must not be reused.
    from flows import extract

    assert_key_follows(monkeypatch, extract.extraction_code_version, ("spacy", "thinc"))
