"""Input and output through fsspec URLs (memory:// and file:// here; s3:// in production)."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import fsspec
import pytest

from flows.schema import TABLES

from conftest import SEEDS, make_settings


def memory_url(tag: str) -> str:
    return f"memory://cc-{tag}-{uuid.uuid4().hex[:8]}"


def upload_seeds(url: str) -> None:
    fs, root = fsspec.core.url_to_fs(url)
    for f in sorted(SEEDS.iterdir()):
        fs.pipe_file(f"{root}/{f.name}", f.read_bytes())


def test_documents_from_a_memory_url_equal_those_from_the_folder(tmp_path):
    from flows.documents import build_documents

    url = memory_url("in")
    upload_seeds(url)
    local = build_documents(SEEDS, 10**7, 10**6)
    remote = build_documents(url, 10**7, 10**6, tmp_path / "cache")
    assert remote.documents == local.documents
    assert remote.removed_lines == local.removed_lines
    assert remote.rejects == local.rejects == []
    on_disk = build_documents(f"file://{SEEDS}", 10**7, 10**6)
    assert on_disk.documents == local.documents


def test_a_run_reads_a_url_and_publishes_to_one(seed_build, tmp_path):
    from flows import stages
    from flows.storage import read_current, read_published

    built, _ = seed_build
    in_url, out_url = memory_url("in"), memory_url("out")
    upload_seeds(in_url)
    settings = make_settings(Path("unused"), tmp_path / "data", input_url=in_url, output_url=out_url)
    shutil.copytree(built.cache_dir / "nlp", settings.cache_dir / "nlp")
    result = stages.run_all(settings)
    assert result["nlp"]["processed"] == 0
    current = read_current(out_url)
    assert current["version"] == result["published"]["version"]
    for name in TABLES:
        local = (built.table_dir(name) / f"{name}.parquet").read_bytes()
        assert (settings.table_dir(name) / f"{name}.parquet").read_bytes() == local, name
        assert read_published(out_url, name, current).equals(
            __import__("pyarrow.parquet", fromlist=["x"]).read_table(built.table_dir(name) / f"{name}.parquet")
        ), name


def _tables(tmp_path: Path, tag: str, reason: str) -> dict[str, dict]:
    from flows.storage import write_table

    ref = write_table(tmp_path / tag, "rejects", [{"source": "a.txt", "stage": "ingest", "reason": reason}])
    return {"rejects": ref.to_dict()}


@pytest.mark.parametrize("kind", ["memory", "local"])
def test_publish_is_versioned_idempotent_and_pruned(tmp_path, kind):
    from flows.storage import publish_tables, read_current, read_published

    out = memory_url("out") if kind == "memory" else str(tmp_path / "out")
    fs, root = fsspec.core.url_to_fs(out)
    first = publish_tables(_tables(tmp_path, "1", "r1"), out, keep=2)
    again = publish_tables(_tables(tmp_path, "1b", "r1"), out, keep=2)
    assert again["version"] == first["version"]
    assert len(fs.ls(f"{root}/versions", detail=False)) == 1
    assert read_published(out, "rejects")["reason"].to_pylist() == ["r1"]

    second = publish_tables(_tables(tmp_path, "2", "r2"), out, keep=2)
    assert read_current(out)["history"] == [second["version"], first["version"]]
    assert read_published(out, "rejects")["reason"].to_pylist() == ["r2"]
    third = publish_tables(_tables(tmp_path, "3", "r3"), out, keep=2)
    kept = sorted(p.rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(f"{root}/versions", detail=False))
    assert kept == sorted([third["version"], second["version"]])


def test_a_cut_off_upload_leaves_the_previous_tables_readable(tmp_path, monkeypatch):
    from flows.storage import publish_tables, read_current, read_published

    out = memory_url("out")
    first = publish_tables(_tables(tmp_path, "1", "r1"), out)
    fs, root = fsspec.core.url_to_fs(out)
    cls = type(fs)
    real_put = cls.put_file

    def dying_put(self, lpath, rpath, **kw):
        real_put(self, lpath, rpath, **kw)
        raise ConnectionError("network gone mid-upload")

    monkeypatch.setattr(cls, "put_file", dying_put)
    with pytest.raises(ConnectionError):
        publish_tables(_tables(tmp_path, "2", "r2"), out)
    assert read_current(out)["version"] == first["version"]
    assert read_published(out, "rejects")["reason"].to_pylist() == ["r1"]

    monkeypatch.setattr(cls, "put_file", real_put)
    second = publish_tables(_tables(tmp_path, "2", "r2"), out)
    assert read_published(out, "rejects")["reason"].to_pylist() == ["r2"]
    assert fs.exists(f"{root}/versions/{second['version']}/MANIFEST.json")


def test_build_flow_takes_a_url_as_its_input_parameter():
    from flows.settings import Settings

    settings = Settings(input_url="s3://bucket/articles")
    assert settings.input_location == "s3://bucket/articles"
    # A Path field would have eaten one slash: the URL must stay a string.
    assert str(Settings().input_location) == "seeds"
