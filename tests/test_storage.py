"""Atomic, schema-cast, deterministic Parquet writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.schema import TABLES
from flows.storage import read_rows, write_table


def test_write_casts_sorts_and_is_byte_identical(tmp_path: Path):
    rows = [
        {"source": "b.txt", "stage": "ingest", "reason": "empty file", "extra": 1},
        {"source": "a.txt", "stage": "ingest", "reason": "binary file"},
    ]
    ref1 = write_table(tmp_path / "one", "rejects", rows)
    ref2 = write_table(tmp_path / "two", "rejects", list(reversed(rows)))
    assert ref1.rows == 2
    assert ref1.sha256 == ref2.sha256
    assert Path(ref1.path).read_bytes() == Path(ref2.path).read_bytes()
    assert [r["source"] for r in read_rows(tmp_path / "one", "rejects")] == ["a.txt", "b.txt"]


def test_empty_table_still_has_its_schema(tmp_path: Path):
    for name in TABLES:
        ref = write_table(tmp_path, name, [])
        assert ref.rows == 0
        assert read_rows(tmp_path, name) == []


def test_failed_write_leaves_the_old_file_and_no_visible_temp(tmp_path: Path):
    write_table(tmp_path, "rejects", [{"source": "a", "stage": "ingest", "reason": "r"}])
    with pytest.raises(Exception):
        write_table(tmp_path, "rejects", [{"source": None, "stage": "ingest", "reason": "r"}])
    assert [r["source"] for r in read_rows(tmp_path, "rejects")] == ["a"]
    assert sorted(p.name for p in (tmp_path / "rejects").glob("*.parquet")) == ["rejects.parquet"]
