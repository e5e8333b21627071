"""Published snapshots: publish -> serve over HTTP -> download -> verify -> query.

No spaCy: the data folder is written by hand with flows.storage.write_table.
Servers listen on 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT
from flows.download import DownloadError, download, parse_sha256sums, safe_relpath, verify_snapshot
from flows.publish import PublishError, check_build_complete, next_version, publish
from flows.schema import TABLES
from flows.storage import file_sha256, write_table

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
DOC_PATH = "tables/documents/documents.parquet"
VIEW_SQL = "-- How many documents the snapshot holds.\nCREATE OR REPLACE VIEW doc_count AS SELECT count(*) AS n FROM documents;\n"


def _doc(doc_id: str, source: str, text: str, **extra) -> dict:
    return {
        "doc_id": doc_id, "source": source, "source_format": "txt", "text": text,
        "content_hash": hashlib.sha256(text.encode()).hexdigest(), "n_chars": len(text), **extra,
    }


ROWS: dict[str, list[dict]] = {
    "documents": [
        _doc("d1", "a.txt", "North Korea denies shell supplies\n\nPyongyang rejected the claim.", outlet="Outlet A"),
        _doc("d2", "b.jsonl#1", "US says shells were shipped\n\nOfficials said so.", source_format="jsonl"),
    ],
    "removed_lines": [{"doc_id": "d1", "line_no": 1, "text": "Subscribe now", "reason": "appeal"}],
    "near_duplicates": [{"doc_id_a": "d1", "doc_id_b": "d2", "similarity": 0.3, "relation": "same-story"}],
    "entities": [{"doc_id": "d1", "text": "North Korea", "label": "GPE", "canonical": "North Korea", "start_char": 0, "end_char": 11}],
    "quotes": [{"quote_id": "d1:0", "doc_id": "d1", "text": "rejected", "kind": "indirect", "start_char": 46, "end_char": 54, "fragments": [[46, 54]]}],
    "claims": [{
        "claim_id": "d1:0", "doc_id": "d1", "claim_type": "denial", "text": "Pyongyang rejected the claim.",
        "start_char": 36, "end_char": 65, "is_direct": False, "position": "lead", "paragraph_index": 1,
    }],
    "rejects": [{"source": "c.bin", "stage": "ingest", "reason": "binary file"}],
}


def make_data(root: Path) -> tuple[Path, Path]:
    data, sql = root / "data", root / "sql"
    for name in TABLES:
        write_table(data / "tables", name, ROWS.get(name, []))
    sql.mkdir(parents=True)
    (sql / "doc_count.sql").write_text(VIEW_SQL)
    return data, sql


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    return make_data(tmp_path_factory.mktemp("built"))


@pytest.fixture(scope="module")
def published(built, tmp_path_factory) -> tuple[Path, str]:
    data, sql = built
    dest = tmp_path_factory.mktemp("published")
    version = publish(data, dest, None, sql, now=NOW)
    return dest, version


def copy_published(published, tmp_path: Path) -> tuple[Path, str]:
    """A private, writable copy of the published folder for a test to damage."""
    dest, version = published
    root = tmp_path / "served"
    shutil.copytree(dest, root)
    for p in root.rglob("*"):
        p.chmod(p.stat().st_mode | stat.S_IWUSR)
    return root, version


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, **(env or {})},
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"no server on port {port}")


def assert_nothing_left(to: Path, version: str) -> None:
    assert not (to / version).exists()
    assert not list(to.glob(".tmp-*")) if to.exists() else True


# ---------------------------------------------------------------- Range-capable test server


class RangeHandler(BaseHTTPRequestHandler):
    """Serves ``server.root`` with ``Range: bytes=N-`` support, and can cut a
    response short: ``server.cut[path] = n`` cuts the next n responses."""

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        srv = self.server
        rel = self.path.split("?", 1)[0].lstrip("/")
        srv.log.append((rel, self.headers.get("Range")))
        path = srv.root / rel
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start, status = 0, 200
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= len(data):
                self.send_error(416)
                return
            status = 206
        body = data[start:]
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if srv.cut.get(rel, 0) > 0:
            srv.cut[rel] -= 1
            # Half the body, then the connection closes: an interrupted transfer.
            self.wfile.write(body[: max(1, len(body) // 2)])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


@pytest.fixture
def range_server():
    servers = []

    def start(root: Path) -> tuple[str, ThreadingHTTPServer]:
        srv = ThreadingHTTPServer(("127.0.0.1", 0), RangeHandler)
        srv.root, srv.log, srv.cut = root, [], {}
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}/", srv

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


# ---------------------------------------------------------------- publish


def test_publish_writes_a_complete_verifiable_snapshot(published):
    dest, version = published
    snap = dest / version
    assert version == "2024-05-01"
    assert json.loads((dest / "latest.json").read_text()).keys() == {"version", "path", "published_at"}
    assert json.loads((dest / "latest.json").read_text())["path"] == f"{version}/"
    assert verify_snapshot(snap) == []
    for name in TABLES:
        assert (snap / "tables" / name / f"{name}.parquet").is_file()
    assert (snap / "sql" / "doc_count.sql").read_text() == VIEW_SQL

    manifest = json.loads((snap / "datapackage.json").read_text())
    assert manifest["name"] == "counterclaim" and manifest["version"] == version
    assert manifest["schema_version"] == "1.0.0"
    assert manifest["created"] == "2024-05-01T12:00:00Z"
    assert manifest["code_version"]["counterclaim"]
    assert {"pyarrow", "duckdb", "spacy", "prefect", "spacy_model"} <= manifest["libraries"].keys()
    assert [s["source"] for s in manifest["sources"]] == ["a.txt", "b.jsonl#1"]
    assert manifest["sources"][0]["outlet"] == "Outlet A"
    res = {r["name"]: r for r in manifest["resources"]}
    docs = res["documents"]
    assert docs["path"] == DOC_PATH and docs["format"] == "parquet" and docs["rows"] == 2
    assert docs["hash"] == "sha256:" + file_sha256(snap / DOC_PATH)
    assert docs["bytes"] == (snap / DOC_PATH).stat().st_size
    text = next(f for f in docs["schema"]["fields"] if f["name"] == "text")
    assert text["type"] == "string" and text["description"].startswith("Cleaned article")
    assert res["doc_count"]["path"] == "sql/doc_count.sql" and res["doc_count"]["kind"] == "view"

    sums = parse_sha256sums((snap / "SHA256SUMS").read_text())
    assert set(sums) == {p.relative_to(snap).as_posix() for p in snap.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    card = (snap / "README.md").read_text()
    assert "counterclaim query --snapshot" in card and "read_parquet(" in card
    assert "doc_count" in card and "Known limits" in card
    assert not list(dest.glob(".tmp-*"))


def test_same_data_gives_identical_parquet_checksums(built, tmp_path):
    data, sql = built
    dest = tmp_path / "pub"
    v1 = publish(data, dest, None, sql, now=NOW)
    v2 = publish(data, dest, None, sql, now=NOW)
    for name in TABLES:
        rel = f"tables/{name}/{name}.parquet"
        assert file_sha256(dest / v1 / rel) == file_sha256(dest / v2 / rel) == file_sha256(data / rel)


def test_version_counter_on_the_same_day(built, tmp_path):
    data, sql = built
    dest = tmp_path / "pub"
    versions = [publish(data, dest, None, sql, now=NOW) for _ in range(3)]
    assert versions == ["2024-05-01", "2024-05-01.2", "2024-05-01.3"]
    assert json.loads((dest / "latest.json").read_text())["version"] == "2024-05-01.3"
    assert next_version(dest, NOW.date()) == "2024-05-01.4"


def test_publishing_an_existing_version_is_refused(built, published):
    data, sql = built
    dest, version = published
    before = (dest / "latest.json").read_bytes()
    with pytest.raises(PublishError, match="already exists"):
        publish(data, dest, version, sql)
    out = cli("publish", "--data", str(data), "--dest", str(dest), "--version", version, env={"COUNTERCLAIM_SQL_DIR": str(sql)})
    assert out.returncode != 0 and "already exists" in out.stderr
    assert (dest / "latest.json").read_bytes() == before


def test_publish_cli_prints_the_version_alone_on_the_last_line(built, tmp_path):
    data, sql = built
    out = cli("publish", "--data", str(data), "--dest", str(tmp_path / "pub"), "--version", "v1", env={"COUNTERCLAIM_SQL_DIR": str(sql)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["v1"]


def test_failed_publish_leaves_no_version_and_latest_unchanged(built, tmp_path, monkeypatch):
    data, sql = built
    dest = tmp_path / "pub"
    publish(data, dest, "first", sql)
    before = (dest / "latest.json").read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full (simulated)")

    import flows.publish as pub

    monkeypatch.setattr(pub, "dataset_card", boom)
    with pytest.raises(OSError, match="simulated"):
        publish(data, dest, "second", sql)
    assert (dest / "latest.json").read_bytes() == before
    assert not (dest / "second").exists()
    assert sorted(p.name for p in dest.iterdir() if not p.name.startswith(".publish")) == ["first", "index.html", "latest.json"]


def test_failure_writing_latest_takes_the_version_back(built, tmp_path, monkeypatch):
    data, sql = built
    dest = tmp_path / "pub"
    publish(data, dest, "first", sql)
    before = (dest / "latest.json").read_bytes()
    import flows.publish as pub

    monkeypatch.setattr(pub, "atomic_write_bytes", lambda *a: (_ for _ in ()).throw(OSError("simulated")))
    with pytest.raises(OSError):
        publish(data, dest, "second", sql)
    assert not (dest / "second").exists()
    assert (dest / "latest.json").read_bytes() == before


def test_publish_refuses_an_incomplete_build(built, tmp_path):
    data, sql = built
    partial = tmp_path / "data"
    shutil.copytree(data, partial)
    shutil.rmtree(partial / "tables" / "claims")
    with pytest.raises(PublishError, match="claims"):
        check_build_complete(partial)
    with pytest.raises(PublishError):
        publish(partial, tmp_path / "pub", None, sql)
    assert not (tmp_path / "pub" / "latest.json").exists()

    staged = tmp_path / "data2"
    shutil.copytree(data, staged)
    (staged / "staging" / "documents").mkdir(parents=True)
    out = cli("publish", "--data", str(staged), "--dest", str(tmp_path / "pub2"), env={"COUNTERCLAIM_SQL_DIR": str(sql)})
    assert out.returncode != 0 and "staging" in out.stderr and out.stdout == ""
    assert not (tmp_path / "pub2" / "latest.json").exists()


def test_publish_rejects_a_path_like_version(built, tmp_path):
    data, sql = built
    with pytest.raises(PublishError, match="invalid version"):
        publish(data, tmp_path / "pub", "../x", sql)


# ---------------------------------------------------------------- download: happy path over a real server process


def test_download_over_http_then_verify_then_query(published, tmp_path):
    dest, version = published
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", str(dest)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        to = tmp_path / "snapshots"
        out = cli("download", f"http://127.0.0.1:{port}/", "--to", str(to))
        assert out.returncode == 0, out.stderr
        snap = to / version
        assert out.stdout.splitlines()[-1] == str(snap)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert not (to / ".cache").exists() and not list(to.glob(".tmp-*"))
    for name in TABLES:
        rel = f"tables/{name}/{name}.parquet"
        assert file_sha256(snap / rel) == file_sha256(dest / version / rel)

    ok = cli("verify", str(snap))
    assert ok.returncode == 0 and ok.stdout.startswith("OK"), ok.stdout + ok.stderr

    q = cli("query", "--snapshot", str(snap), "--format", "json", "SELECT n FROM doc_count")
    assert q.returncode == 0, q.stderr
    assert json.loads(q.stdout) == [{"n": 2}]
    q = cli("query", "--snapshot", str(snap), "--format", "json", "SELECT claim_type FROM claims")
    assert json.loads(q.stdout) == [{"claim_type": "denial"}]

    # verify catches a file changed after download
    (snap / DOC_PATH).chmod(0o644)
    with open(snap / DOC_PATH, "r+b") as fh:
        fh.seek(10)
        b = fh.read(1)
        fh.seek(10)
        fh.write(bytes([b[0] ^ 0xFF]))
    bad = cli("verify", str(snap))
    assert bad.returncode == 1 and "MISMATCH" in bad.stdout and DOC_PATH in bad.stdout


def test_download_from_a_local_folder_and_a_file_url(published, tmp_path):
    dest, version = published
    assert download(str(dest), tmp_path / "a", progress=False) == tmp_path / "a" / version
    assert download(dest.as_uri(), tmp_path / "b", version, progress=False) == tmp_path / "b" / version
    assert verify_snapshot(tmp_path / "b" / version) == []
    # Downloading again is a no-op on a verified snapshot.
    assert download(str(dest), tmp_path / "a", progress=False) == tmp_path / "a" / version


# ---------------------------------------------------------------- download: failures


def test_tampered_file_fails_and_leaves_nothing(published, tmp_path, range_server):
    root, version = copy_published(published, tmp_path)
    target = root / version / DOC_PATH
    data = bytearray(target.read_bytes())
    data[20] ^= 0xFF  # same size, different content
    target.write_bytes(bytes(data))
    url, _ = range_server(root)
    to = tmp_path / "snapshots"
    with pytest.raises(DownloadError, match="sha256"):
        download(url, to, progress=False)
    assert_nothing_left(to, version)
    out = cli("download", url, "--to", str(to), "--quiet")
    assert out.returncode != 0 and "sha256" in out.stderr and out.stdout == ""
    assert_nothing_left(to, version)


def test_truncated_file_fails(published, tmp_path, range_server):
    root, version = copy_published(published, tmp_path)
    target = root / version / DOC_PATH
    target.write_bytes(target.read_bytes()[:-100])
    url, _ = range_server(root)
    to = tmp_path / "snapshots"
    with pytest.raises(DownloadError, match="size"):
        download(url, to, progress=False)
    assert_nothing_left(to, version)


def test_interrupted_transfer_is_resumed_with_a_range_request(published, tmp_path, range_server):
    root, version = copy_published(published, tmp_path)
    url, srv = range_server(root)
    rel = f"{version}/{DOC_PATH}"
    srv.cut[rel] = 1
    to = tmp_path / "snapshots"
    snap = download(url, to, progress=False)
    assert verify_snapshot(snap) == []
    ranges = [r for p, r in srv.log if p == rel]
    size = (root / rel).stat().st_size
    assert ranges[0] is None and ranges[1] == f"bytes={size // 2}-"


def test_download_interrupted_across_runs_resumes_from_the_cache(published, tmp_path, range_server):
    root, version = copy_published(published, tmp_path)
    url, srv = range_server(root)
    rel = f"{version}/{DOC_PATH}"
    srv.cut[rel] = 100  # more than the retries of one run
    to = tmp_path / "snapshots"
    with pytest.raises(DownloadError, match="interrupted"):
        download(url, to, progress=False)
    assert_nothing_left(to, version)
    part = to / ".cache" / version / (DOC_PATH + ".part")
    assert part.is_file() and 0 < part.stat().st_size < (root / rel).stat().st_size

    have = part.stat().st_size
    srv.cut.clear()
    srv.log.clear()
    snap = download(url, to, progress=False)
    assert verify_snapshot(snap) == []
    assert [r for p, r in srv.log if p == rel] == [f"bytes={have}-"]
    # Files finished in the first run came from the cache, after a fresh check.
    assert (f"{version}/tables/claims/claims.parquet", None) not in srv.log


def test_a_bad_cached_copy_is_not_accepted(published, tmp_path, range_server):
    root, version = copy_published(published, tmp_path)
    url, srv = range_server(root)
    to = tmp_path / "snapshots"
    good = (root / version / DOC_PATH).read_bytes()
    # A complete-looking cached copy of the right size but the wrong bytes ...
    cached = to / ".cache" / version / DOC_PATH
    cached.parent.mkdir(parents=True)
    cached.write_bytes(bytes(len(good)))
    # ... and a partial file that starts with garbage.
    rel_q = "tables/quotes/quotes.parquet"
    bad_part = to / ".cache" / version / (rel_q + ".part")
    bad_part.parent.mkdir(parents=True)
    bad_part.write_bytes(b"garbage" * 10)
    snap = download(url, to, progress=False)
    assert (snap / DOC_PATH).read_bytes() == good
    assert verify_snapshot(snap) == []
    assert (f"{version}/{DOC_PATH}", None) in srv.log  # fetched again, whole
    assert (f"{version}/{rel_q}", "bytes=70-") in srv.log and (f"{version}/{rel_q}", None) in srv.log


def _rewrite_manifest(snap: Path, change) -> None:
    """Edit datapackage.json and keep SHA256SUMS consistent, as a hostile host would."""
    manifest = json.loads((snap / "datapackage.json").read_text())
    change(manifest)
    raw = json.dumps(manifest).encode()
    (snap / "datapackage.json").write_bytes(raw)
    sums = parse_sha256sums((snap / "SHA256SUMS").read_text())
    sums["datapackage.json"] = hashlib.sha256(raw).hexdigest()
    (snap / "SHA256SUMS").write_text("".join(f"{h}  {p}\n" for p, h in sums.items()))


def test_a_traversal_path_in_the_manifest_is_refused(published, tmp_path, range_server):
    root, version = copy_published(published, tmp_path)
    (root / "evil").write_bytes(b"evil")
    evil_hash = hashlib.sha256(b"evil").hexdigest()

    def add_evil(m):
        m["resources"].append({"name": "evil", "path": "../evil", "bytes": 4, "hash": f"sha256:{evil_hash}"})

    _rewrite_manifest(root / version, add_evil)
    with open(root / version / "SHA256SUMS", "a") as fh:
        fh.write(f"{evil_hash}  ../evil\n")
    url, _ = range_server(root)
    to = tmp_path / "work" / "snapshots"
    with pytest.raises(DownloadError, match="escape"):
        download(url, to, progress=False)
    assert_nothing_left(to, version)
    assert not (tmp_path / "work" / "evil").exists() and not (to / "evil").exists()


@pytest.mark.parametrize("bad", ["../evil", "/etc/passwd", "a\\..\\b", "a//b", "./a", "C:x", "tables/../../x", ""])
def test_unsafe_paths_are_refused(bad):
    with pytest.raises(DownloadError):
        safe_relpath(bad)


def test_a_traversal_in_latest_json_is_refused(published, tmp_path):
    root, version = copy_published(published, tmp_path)
    (root / "latest.json").write_text(json.dumps({"version": version, "path": "../outside/"}))
    with pytest.raises(DownloadError, match="escape"):
        download(str(root), tmp_path / "to", progress=False)
    (root / "latest.json").write_text(json.dumps({"version": "../x", "path": f"{version}/"}))
    with pytest.raises(DownloadError, match="invalid snapshot version"):
        download(str(root), tmp_path / "to", progress=False)


def test_a_symlink_in_a_local_source_is_refused(published, tmp_path):
    root, version = copy_published(published, tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    readme = root / version / "README.md"
    readme.unlink()
    readme.symlink_to(secret)
    to = tmp_path / "to"
    with pytest.raises(DownloadError, match="symbolic link"):
        download(str(root), to, progress=False)
    assert_nothing_left(to, version)


def test_missing_latest_json(published, tmp_path, range_server):
    root, version = copy_published(published, tmp_path)
    (root / "latest.json").unlink()
    url, _ = range_server(root)
    to = tmp_path / "snapshots"
    with pytest.raises(DownloadError, match="latest.json"):
        download(url, to, progress=False)
    out = cli("download", url, "--to", str(to))
    assert out.returncode != 0 and "latest.json" in out.stderr and "--version" in out.stderr
    assert not to.exists() or not (to / version).exists()
    # Naming the version still works.
    assert verify_snapshot(download(url, to, version, progress=False)) == []


def test_manifests_that_disagree_are_refused(published, tmp_path):
    root, version = copy_published(published, tmp_path)

    def wrong_size(m):
        m["resources"][0]["bytes"] += 1

    _rewrite_manifest(root / version, wrong_size)
    with pytest.raises(DownloadError, match="size"):
        download(str(root), tmp_path / "to", progress=False)
    assert_nothing_left(tmp_path / "to", version)


def test_publish_flow_leaves_a_markdown_artifact(built, tmp_path, prefect_harness):
    import asyncio

    from prefect.client.orchestration import get_client

    data, sql = built
    os.environ["COUNTERCLAIM_SQL_DIR"] = str(sql)
    try:
        from flows.publish import publish_flow

        version = publish_flow(str(data), str(tmp_path / "pub"), "flow-v1")
    finally:
        os.environ.pop("COUNTERCLAIM_SQL_DIR", None)
    assert version == "flow-v1"
    assert verify_snapshot(tmp_path / "pub" / "flow-v1") == []

    async def latest_artifact():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    arts = [a for a in asyncio.run(latest_artifact()) if a.key == "counterclaim-publish"]
    assert arts and "flow-v1" in arts[0].data
