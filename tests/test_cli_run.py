"""`counterclaim run --json` as a user runs it: a fresh process with its own Prefect."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT, SEEDS


def test_run_json_prints_exactly_one_json_object_on_stdout(tmp_path):
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    # as a user runs it: the CLI itself must wait long enough for the temporary server
    # (26 s on this machine under load, past Prefect's own default)
    env.pop("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", None)
    out = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--input", str(SEEDS), "--data", str(tmp_path / "data"), "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, out.stdout
    summary = json.loads(lines[-1])
    assert summary["documents"] == 5
    assert summary["nlp_processed"] + summary["nlp_reused"] >= 4
    assert summary["tables"]["documents"] == 5


def test_run_on_a_missing_folder_fails_clearly(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--input", str(tmp_path / "nope"), "--data", str(tmp_path / "d")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert out.returncode != 0
    assert "input folder not found" in out.stderr


def test_run_takes_an_fsspec_url_as_input_and_names_it_in_errors(tmp_path):
    # An empty in-memory filesystem: the URL must reach fsspec intact ("memory://", not "memory:/").
    out = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--input", "memory://cc-empty/articles", "--data", str(tmp_path / "d")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert out.returncode != 0
    assert "input folder not found: memory://cc-empty/articles" in out.stderr
    out = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--input", "nosuchprotocol://bucket/x", "--data", str(tmp_path / "d")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert out.returncode != 0
    assert "cannot read nosuchprotocol://bucket/x" in out.stderr
