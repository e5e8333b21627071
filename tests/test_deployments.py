"""prefect.yaml as the single source of deployments, and the cheap no-op rerun."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from flows.deployments import DeploymentConfigError, load_specs
from flows.schema import TABLES

from conftest import ROOT, copy_seeds, make_settings


def test_prefect_yaml_declares_both_deployments_with_schedules_and_limits():
    specs = {s.name: s for s in load_specs(ROOT / "prefect.yaml")}
    assert set(specs) == {"counterclaim-build", "counterclaim-publish"}
    build, publish = specs["counterclaim-build"], specs["counterclaim-publish"]
    assert build.cron == "0 * * * *" and build.schedules[0].timezone == "UTC"
    assert set(build.parameters) == {"input_dir", "data_dir"}
    assert publish.entrypoint == "flows/publish.py:publish_flow"
    assert len(publish.cron.split()) == 5 and publish.cron.split()[2:] == ["*", "*", "*"], "daily"
    for spec in specs.values():
        assert spec.concurrency_limit == 1 and spec.collision_strategy == "ENQUEUE"
        assert spec.work_pool == "counterclaim"
        assert (ROOT / spec.entrypoint.split(":")[0]).is_file()


def test_entrypoints_load_as_prefect_flows(monkeypatch):
    from prefect.flows import load_flow_from_entrypoint

    monkeypatch.chdir(ROOT)
    for spec in load_specs(ROOT / "prefect.yaml"):
        flow = load_flow_from_entrypoint(spec.entrypoint, use_placeholder_flow=False)
        assert flow.name == spec.name
        assert set(spec.parameters) <= set(flow.parameters.properties)


def test_build_entrypoint_uses_the_configured_task_runner(monkeypatch):
    from prefect.flows import load_flow_from_entrypoint
    from prefect_dask import DaskTaskRunner

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COUNTERCLAIM_TASK_RUNNER", "dask")
    monkeypatch.setenv("COUNTERCLAIM_WORKERS", "3")
    flow = load_flow_from_entrypoint("flows/deployments.py:build_flow", use_placeholder_flow=False)
    assert isinstance(flow.task_runner, DaskTaskRunner)
    assert flow.task_runner.cluster_kwargs["n_workers"] == 3


def test_malformed_definitions_are_refused(tmp_path):
    bad = tmp_path / "prefect.yaml"
    bad.write_text("deployments:\n  - name: x\n", encoding="utf-8")
    with pytest.raises(DeploymentConfigError, match="entrypoint"):
        load_specs(bad)
    bad.write_text("deployments:\n  - name: x\n    entrypoint: a.py:f\n    schedules:\n      - interval: 60\n")
    with pytest.raises(DeploymentConfigError, match="cron"):
        load_specs(bad)
    with pytest.raises(DeploymentConfigError, match="not found"):
        load_specs(tmp_path / "missing.yaml")


def test_serve_without_a_server_says_so(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path)  # no profile that could name a server
    out = subprocess.run([sys.executable, "-m", "flows.cli", "serve"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert out.returncode != 0
    assert "PREFECT_API_URL is not set" in out.stderr and "prefect server start" in out.stderr


def test_noop_rerun_reuses_the_assembled_tables_and_a_change_reassembles(tmp_path, monkeypatch):
    from flows import extract, stages

    inputs = copy_seeds(tmp_path / "in")
    settings = make_settings(inputs, tmp_path / "data")
    stages.run_all(settings)
    first = {n: (settings.table_dir(n) / f"{n}.parquet").read_bytes() for n in TABLES}
    assembled = extract.assembly_cache_dir(settings.cache_dir)
    keys = [p.name for p in assembled.iterdir()]
    assert len(keys) == 1

    def must_not_run(*args, **kwargs):
        raise AssertionError("unchanged input must not be reassembled")

    with monkeypatch.context() as m:
        m.setattr(extract, "assemble", must_not_run)
        again = stages.run_all(settings)
    assert again["nlp"]["processed"] == 0
    for n in TABLES:
        assert (settings.table_dir(n) / f"{n}.parquet").read_bytes() == first[n], n

    sorted(inputs.glob("*.txt"))[-1].unlink()
    stages.run_all(settings)
    assert [p.name for p in assembled.iterdir()] != keys and len(list(assembled.iterdir())) == 1
    assert (settings.table_dir("quotes") / "quotes.parquet").read_bytes() != first["quotes"]
