"""Scale-out: the Dask task runner on a 2-worker LocalCluster builds the same tables."""

from __future__ import annotations

import pytest

from flows.schema import TABLES
from flows.storage import read_rows

from conftest import SEEDS, make_settings

pytestmark = pytest.mark.integration


def test_dask_runner_gives_the_same_tables_as_the_default_runner(prefect_harness, tmp_path):
    from flows.pipeline import run_pipeline

    # Separate data folders: each run starts with a cold NLP cache and really computes.
    # Two documents per task, so the five seeds make three extract tasks over the two workers.
    default = make_settings(SEEDS, tmp_path / "threads")
    dask = make_settings(SEEDS, tmp_path / "dask", task_runner="dask", workers=2, docs_per_task=2)
    first = run_pipeline(default)
    second = run_pipeline(dask)

    assert first["nlp_reused"] == 0 and second["nlp_reused"] == 0
    assert second["nlp_processed"] == first["nlp_processed"] >= 4
    assert second["tables"] == first["tables"]
    for name in TABLES:
        assert read_rows(dask.tables_dir, name) == read_rows(default.tables_dir, name), f"{name} rows differ"
        a = (default.table_dir(name) / f"{name}.parquet").read_bytes()
        b = (dask.table_dir(name) / f"{name}.parquet").read_bytes()
        assert a == b, f"{name}.parquet bytes differ"
