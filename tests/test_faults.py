"""Faults: a run killed at any point, two runs on one data folder, reproducible bytes,
and queries that try to write.

The killed-run tests SIGKILL a real pipeline process right when a stage's files
appear, then rerun to completion: the tables must equal, byte for byte, those of a
clean run in a fresh data folder, and no temporary or partial file may ever be
visible under ``tables/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pyarrow.parquet as pq
import pytest

from flows.schema import TABLES

from conftest import CORPORA, ROOT, SEEDS

BODIES = CORPORA / "fnc1_train_bodies.jsonl"
N_BODIES = 6
needs_corpus = pytest.mark.skipif(not BODIES.exists(), reason="needs ../shared/corpora/fnc1_train_bodies.jsonl")

RUN = (
    "import sys; from flows import stages; from flows.settings import Settings; "
    "stages.run_all(Settings(input_dir=sys.argv[1], data_dir=sys.argv[2]))"
)


# --- helpers -------------------------------------------------------------------------


def html_page(text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if len(p) > 60)
    return (
        "<html><head><title>Pyongyang rejects arms claims</title>"
        '<meta property="og:site_name" content="Example Wire">'
        '<meta property="article:published_time" content="2022-11-08T10:00:00Z"></head>'
        f"<body><nav>Home | World</nav><article><h1>Pyongyang rejects arms claims</h1>{paragraphs}</article>"
        "<footer>Copyright footer</footer></body></html>"
    )


def make_corpus(folder: Path) -> Path:
    """The seeds, a jsonl file of FNC-1 bodies and an HTML page."""
    folder.mkdir(parents=True)
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    with open(BODIES, encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(N_BODIES + 1)]
    (folder / "bodies.jsonl").write_text("".join(lines[:N_BODIES]), encoding="utf-8")
    seed = sorted(SEEDS.glob("*.txt"))[1].read_text(encoding="utf-8")
    (folder / "page.html").write_text(html_page(seed), encoding="utf-8")
    (folder / "spare.txt.json").write_text(lines[N_BODIES], encoding="utf-8")  # not an article: rejected
    return folder


def table_bytes(data: Path) -> dict[str, bytes]:
    return {name: (data / "tables" / name / f"{name}.parquet").read_bytes() for name in TABLES}


def start(inputs: Path, data: Path, log: Path, hash_seed: str = "1") -> subprocess.Popen:
    # One fixed hash seed for the kill tests, so that a difference points at the kill;
    # test_same_bytes_under_another_hash_seed covers the hash seed itself.
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    with open(log, "ab") as fh:
        return subprocess.Popen(
            [sys.executable, "-c", RUN, str(inputs), str(data)], cwd=ROOT, stdout=fh, stderr=fh, env=env
        )


def run_to_end(inputs: Path, data: Path, log: Path, hash_seed: str = "1") -> None:
    proc = start(inputs, data, log, hash_seed)
    assert proc.wait(timeout=300) == 0, log.read_text(errors="replace")[-3000:]


def kill_when(inputs: Path, data: Path, log: Path, condition: Callable[[], bool], timeout: float = 300) -> bool:
    """Start a run and SIGKILL it as soon as ``condition`` holds; False if it finished first."""
    proc = start(inputs, data, log)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if condition():
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return True
            if proc.poll() is not None:
                assert proc.returncode == 0, log.read_text(errors="replace")[-3000:]
                return False
            time.sleep(0.003)
        raise AssertionError("run neither reached the kill point nor finished")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def staged(data: Path, name: str) -> Callable[[], bool]:
    return lambda: (data / "staging" / name / f"{name}.parquet").exists()


def n_cached(data: Path) -> int:
    return len(list((data / "cache" / "nlp").glob("*/*.json")))


def more_cached(data: Path) -> Callable[[], bool]:
    before = n_cached(data)
    return lambda: n_cached(data) > before


def table_replaced(data: Path) -> Callable[[], bool]:
    path = data / "tables" / "documents" / "documents.parquet"

    def stamp():
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    before = stamp()
    return lambda: stamp() != before


def assert_nothing_partial_visible(data: Path) -> None:
    """What a query can see under tables/: one whole Parquet file per table, no temp files."""
    tables = data / "tables"
    if not tables.exists():
        return
    leftovers = [p for p in tables.rglob("*") if p.is_file() and (".tmp" in p.name or p.name.startswith("."))]
    assert leftovers == [], leftovers
    for folder in tables.iterdir():
        assert folder.name in TABLES, folder
        parts = sorted(p.name for p in folder.iterdir())
        if not parts:
            # A first run killed between a table folder's mkdir and the rename into it:
            # the table is not there yet, which a query sees as it sees a missing folder.
            continue
        assert parts == [f"{folder.name}.parquet"], parts
        pq.read_table(folder / parts[0])  # whole, readable


def assert_same_tables(data: Path, expected: dict[str, bytes]) -> None:
    assert_nothing_partial_visible(data)
    got = table_bytes(data)
    for name in TABLES:
        assert got[name] == expected[name], f"table {name} differs from a clean run"
    assert not (data / "staging").exists()
    docs = pq.read_table(data / "tables" / "documents" / "documents.parquet").column("doc_id").to_pylist()
    assert len(docs) == len(set(docs))
    for name, key in (("quotes", "quote_id"), ("claims", "claim_id")):
        ids = pq.read_table(data / "tables" / name / f"{name}.parquet").column(key).to_pylist()
        assert len(ids) == len(set(ids)), name


# --- a clean reference and a chain of killed runs ------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if not BODIES.exists():
        pytest.skip("needs ../shared/corpora/fnc1_train_bodies.jsonl")
    return make_corpus(tmp_path_factory.mktemp("faults") / "in")


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    """A clean, uninterrupted run in a fresh data folder."""
    root = tmp_path_factory.mktemp("reference")
    run_to_end(corpus, root / "data", root / "run.log")
    return root / "data", table_bytes(root / "data")


@pytest.fixture(scope="module")
def killed_chain(corpus, tmp_path_factory):
    """One fresh data folder, runs killed in turn during NLP, assembly and commit, then a full run.

    The final tables' equality with the reference, another fresh folder and other
    processes, is also the reproducibility check."""
    root = tmp_path_factory.mktemp("killed")
    data, log = root / "data", root / "runs.log"
    killed = {}
    for point, condition in (
        ("extract", lambda: more_cached(data)),
        ("assemble", lambda: staged(data, "entities")),
        ("commit", lambda: table_replaced(data)),
    ):
        killed[point] = kill_when(corpus, data, log, condition())
        assert_nothing_partial_visible(data)
    run_to_end(corpus, data, log)
    return data, killed, log


@needs_corpus
def test_killed_runs_then_a_rerun_equal_a_clean_run(killed_chain, reference):
    data, killed, log = killed_chain
    # The early kill points are seconds apart: each must really have cut a run short.
    assert killed["extract"] and killed["assemble"], killed
    assert_same_tables(data, reference[1])


@needs_corpus
def test_reproducible_bytes_for_jsonl_and_html_in_other_processes(killed_chain, reference):
    """Other processes, another fresh data folder: the same bytes as the reference,
    for txt, jsonl and html input alike."""
    data = killed_chain[0]
    assert_same_tables(data, reference[1])
    formats = pq.read_table(data / "tables" / "documents" / "documents.parquet").column("source_format").to_pylist()
    assert {"txt", "jsonl", "html"} <= set(formats)
    rejects = pq.read_table(data / "tables" / "rejects" / "rejects.parquet").to_pylist()
    assert [r["source"] for r in rejects] == ["spare.txt.json"]


@needs_corpus
def test_same_bytes_under_another_hash_seed(reference, corpus, tmp_path):
    """Each real run gets a random PYTHONHASHSEED: set order must never reach the tables."""
    got = fresh_run(corpus, reference[0], tmp_path / "fresh", hash_seed="7")
    for name in TABLES:
        assert got[name] == reference[1][name], f"table {name} depends on the hash seed"


def changed_input(corpus: Path, dest: Path) -> Path:
    """The corpus with one article gone and one new."""
    shutil.copytree(corpus, dest)
    sorted(dest.glob("0*.txt"))[0].unlink()
    new_body = json.loads((dest / "spare.txt.json").read_text(encoding="utf-8"))["text"]
    (dest / "new.txt").write_text("A new article arrives\n\n" + new_body, encoding="utf-8")
    return dest


def fresh_run(inputs: Path, reference_data: Path, data: Path, hash_seed: str = "1") -> dict[str, bytes]:
    """A clean run in a fresh folder, reusing only the clean reference's per-document
    NLP cache (keyed on content, so it cannot change the result)."""
    shutil.copytree(reference_data / "cache" / "nlp", data / "cache" / "nlp")
    run_to_end(inputs, data, data.parent / f"{data.name}.log", hash_seed)
    return table_bytes(data)


@needs_corpus
def test_kill_during_an_incremental_rerun(killed_chain, reference, corpus, tmp_path):
    # The folder of a finished build, and the input changed.
    data = tmp_path / "data"
    shutil.copytree(killed_chain[0], data)
    old = table_bytes(data)
    inputs = changed_input(corpus, tmp_path / "in")
    expected = fresh_run(inputs, reference[0], tmp_path / "fresh")

    log = tmp_path / "runs.log"
    # Killed right when commit starts moving tables in: each table is whole, old or new.
    kill_when(inputs, data, log, table_replaced(data))
    assert_nothing_partial_visible(data)
    for name, content in table_bytes(data).items():
        assert content in (old[name], expected[name]), name
    run_to_end(inputs, data, log)
    assert_same_tables(data, expected)


# --- two runs on one data folder ---------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Run A holds the lock (stopped with SIGSTOP so it surely does); run B is the CLI."""
    root = tmp_path_factory.mktemp("two-runs")
    inputs = root / "in"
    inputs.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(f, inputs / f.name)
    data, log = root / "data", root / "a.log"
    a = start(inputs, data, log)
    try:
        deadline = time.monotonic() + 120
        while not (data / "staging").exists():  # created under the lock
            assert a.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.005)
        a.send_signal(signal.SIGSTOP)
        before = snapshot(data)
        env = {
            **os.environ,
            "PREFECT_HOME": str(root / "prefect"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        }
        env.pop("PREFECT_API_URL", None)
        b = subprocess.run(
            [sys.executable, "-m", "flows.cli", "run", "--input", str(inputs), "--data", str(data)],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
        )
        after = snapshot(data)
    finally:
        a.send_signal(signal.SIGCONT)
    a_code = a.wait(timeout=300)
    return {"b": b, "before": before, "after": after,
            "a_code": a_code, "a_log": log, "data": data}


def test_second_run_on_a_locked_folder_is_refused_and_changes_nothing(two_runs):
    b = two_runs["b"]
    assert b.returncode != 0
    assert "another counterclaim run is using" in b.stderr
    assert two_runs["after"] == two_runs["before"]
    # The first run then completes normally.
    assert two_runs["a_code"] == 0, two_runs["a_log"].read_text(errors="replace")[-3000:]
    data = two_runs["data"]
    assert_nothing_partial_visible(data)
    assert pq.read_table(data / "tables" / "documents" / "documents.parquet").num_rows == 2


def test_second_run_is_refused_before_prefect_starts(two_runs):
    # Refused at the lock, before the 7-16 s of Prefect's temporary server; a run that
    # waited for the lock instead would hang until the fixture's timeout, since run A
    # holds it stopped. Behaviour, not a stopwatch: CI machines differ in speed.
    assert "Starting temporary server" not in two_runs["b"].stderr, two_runs["b"].stderr[-2000:]
    assert "prefect" not in two_runs["b"].stderr.lower(), two_runs["b"].stderr[-2000:]


# --- queries cannot write --------------------------------------------------------------------------


@pytest.fixture
def query_data(seed_build, tmp_path):
    settings, _ = seed_build
    data = tmp_path / "data"
    shutil.copytree(settings.tables_dir, data / "tables")
    return data


ATTACKS = [
    "COPY (SELECT 1 AS x) TO '{tables}/documents/documents.parquet' (FORMAT parquet)",
    "COPY documents TO '{tmp}/out.parquet'",
    "SELECT 1; COPY documents TO '{tables}/quotes/quotes.parquet' (FORMAT parquet)",
    "EXPLAIN ANALYZE COPY (SELECT 1 AS x) TO '{tables}/documents/documents.parquet' (FORMAT parquet)",
    "EXPLAIN (FORMAT json, ANALYZE) COPY (SELECT 1 AS x) TO '{tables}/claims/claims.parquet' (FORMAT parquet)",
    "EXPLAIN /* note */ ANALYSE COPY (SELECT 1 AS x) TO '{tmp}/out.parquet'",
    "CREATE TABLE t AS SELECT 1",
    "CREATE OR REPLACE VIEW documents AS SELECT 1 AS x",
    "INSERT INTO documents SELECT * FROM documents",
    "DELETE FROM documents",
    "DROP VIEW documents",
    "ATTACH '{tmp}/evil.duckdb' AS evil",
    "SET threads = 1",
    "PRAGMA enable_profiling = 'json'",
    "PRAGMA profiling_output = '{tables}/documents/documents.parquet'",
    "PRAGMA import_database('{tmp}/import')",
    "INSTALL httpfs",
    "LOAD httpfs",
    "EXPORT DATABASE '{tmp}/export'",
    "CALL pragma_version()",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_query_cannot_change_anything(query_data, tmp_path, attack):
    from typer.testing import CliRunner

    from flows.cli import app

    # A folder PRAGMA import_database would run: its schema.sql writes over a table.
    target = query_data / "tables" / "rejects" / "rejects.parquet"
    (tmp_path / "import").mkdir()
    (tmp_path / "import" / "schema.sql").write_text(f"COPY (SELECT 1 AS x) TO '{target}' (FORMAT parquet);\n")
    (tmp_path / "import" / "load.sql").write_text("\n")
    sql = attack.format(tables=(query_data / "tables").resolve(), tmp=tmp_path.resolve())
    before_data, before_tmp = snapshot(query_data), snapshot(tmp_path)
    out = CliRunner().invoke(app, ["query", "--data", str(query_data), sql])
    assert out.exit_code != 0, out.output
    assert snapshot(query_data) == before_data
    assert snapshot(tmp_path) == before_tmp
    # And the tables still read.
    ok = CliRunner().invoke(app, ["query", "--data", str(query_data), "--format", "json",
                                  "SELECT count(*) AS n FROM documents"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)[0]["n"] == 5


def test_query_refusal_through_the_real_command(query_data):
    target = (query_data / "tables" / "documents" / "documents.parquet").resolve()
    before = target.read_bytes()
    out = subprocess.run(
        [sys.executable, "-m", "flows.cli", "query", "--data", str(query_data),
         f"EXPLAIN ANALYZE COPY (SELECT 1 AS x) TO '{target}' (FORMAT parquet)"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert out.returncode != 0 and "read-only" in out.stderr
    assert target.read_bytes() == before


@pytest.mark.parametrize("sql", [
    "SELECT count(*) FROM documents", "EXPLAIN SELECT * FROM quotes", "DESCRIBE claims",
    "SUMMARIZE rejects", "SHOW TABLES", "PRAGMA version", "SELECT 'analyze' AS explain_analyze",
])
def test_reading_queries_still_work(query_data, sql):
    from typer.testing import CliRunner

    from flows.cli import app

    out = CliRunner().invoke(app, ["query", "--data", str(query_data), "--format", "csv", sql])
    assert out.exit_code == 0, out.output
