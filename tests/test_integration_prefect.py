"""End to end against a real Prefect server: prefect.yaml -> `counterclaim serve` -> a triggered run.

Starts `prefect server start` on a free port with its own PREFECT_HOME (one server for
this module), serves the
deployments from prefect.yaml in a subprocess pointed at that server, checks the
cron schedules and concurrency limits landed, triggers the build deployment on a
copy of the seeds and waits for it to complete. Every process is killed by process
group in a finally, whatever happens.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from flows.deployments import load_specs
from flows.storage import read_rows

from conftest import ROOT, copy_seeds

pytestmark = pytest.mark.integration

SERVER_TIMEOUT = 90
REGISTER_TIMEOUT = 90
RUN_TIMEOUT = 150


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "COUNTERCLAIM_"))}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_LOGGING_LEVEL="INFO",
    )
    return env


def _start(cmd: list[str], env: dict[str, str], log: Path) -> tuple[subprocess.Popen, object]:
    fh = open(log, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    return proc, fh


def _stop(proc: subprocess.Popen, fh) -> None:
    """SIGTERM the whole process group, then SIGKILL what is left."""
    try:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # children the leader left behind
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
    finally:
        fh.close()


def _tail(log: Path, n: int = 60) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("prefect-server")
    home = tmp_path / "prefect-home"
    home.mkdir()
    port = _free_port()
    env = _base_env(home)
    log = tmp_path / "server.log"
    proc, fh = _start(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)], env, log
    )
    try:
        api = f"http://127.0.0.1:{port}/api"
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"prefect server exited with {proc.returncode}:\n{_tail(log)}")
            try:
                with urllib.request.urlopen(f"{api}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"prefect server not healthy after {SERVER_TIMEOUT} s:\n{_tail(log)}")
            time.sleep(0.5)
        yield {"api": api, "env": {**env, "PREFECT_API_URL": api}, "log": log}
    finally:
        _stop(proc, fh)


@pytest.fixture
def served(prefect_server, tmp_path):
    """`counterclaim serve` in a subprocess, against the same server."""
    log = tmp_path / "serve.log"
    # --paused: the cron schedules are registered but create no runs, so a test that
    # straddles the hour never builds the project's own data/ folder.
    proc, fh = _start([sys.executable, "-m", "flows.cli", "serve", "--paused"], prefect_server["env"], log)
    try:
        yield {**prefect_server, "serve_proc": proc, "serve_log": log}
    finally:
        _stop(proc, fh)


def _client(api: str):
    from prefect.client.orchestration import SyncPrefectClient

    return SyncPrefectClient(api=api)


def _wait_for_deployment(client, name: str, served: dict):
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + REGISTER_TIMEOUT
    while True:
        if served["serve_proc"].poll() is not None:
            pytest.fail(f"counterclaim serve exited with {served['serve_proc'].returncode}:\n{_tail(served['serve_log'])}")
        try:
            return client.read_deployment_by_name(name)
        except ObjectNotFound:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"deployment {name} not registered after {REGISTER_TIMEOUT} s:\n{_tail(served['serve_log'])}")
        time.sleep(1)


def test_served_deployments_have_their_schedules_and_run_on_request(served, tmp_path):
    specs = {s.name: s for s in load_specs()}
    assert set(specs) == {"counterclaim-build", "counterclaim-publish"}
    inputs = copy_seeds(tmp_path / "in")
    data = tmp_path / "data"

    with _client(served["api"]) as client:
        registered = {}
        for name, spec in specs.items():
            dep = _wait_for_deployment(client, f"{name}/{name}", served)
            registered[name] = dep
            assert dep.entrypoint == spec.entrypoint
            crons = [(s.schedule.cron, s.schedule.timezone) for s in dep.schedules]
            assert crons == [(s.cron, s.timezone) for s in spec.schedules], crons
            assert dep.global_concurrency_limit is not None and dep.global_concurrency_limit.limit == 1
            assert dep.concurrency_options is not None and dep.concurrency_options.collision_strategy.value == "ENQUEUE"
            assert dep.parameters == spec.parameters
        assert specs["counterclaim-build"].cron == "0 * * * *"

        run = client.create_flow_run_from_deployment(
            registered["counterclaim-build"].id,
            parameters={"input_dir": str(inputs), "data_dir": str(data)},
        )
        deadline = time.monotonic() + RUN_TIMEOUT
        while True:
            state = client.read_flow_run(run.id).state
            if state is not None and state.is_final():
                break
            if served["serve_proc"].poll() is not None:
                pytest.fail(f"counterclaim serve died during the run:\n{_tail(served['serve_log'])}")
            if time.monotonic() > deadline:
                pytest.fail(f"run still {state and state.type} after {RUN_TIMEOUT} s:\n{_tail(served['serve_log'])}")
            time.sleep(1)
        assert state.is_completed(), f"run ended {state.type}: {state.message}\n{_tail(served['serve_log'])}"

    documents = data / "tables" / "documents" / "documents.parquet"
    assert documents.exists()
    assert len(read_rows(data / "tables", "documents")) == 5


def test_deploy_registers_both_deployments_on_the_process_work_pool(prefect_server, tmp_path):
    out = subprocess.run([sys.executable, "-m", "flows.cli", "deploy"], cwd=ROOT, env=prefect_server["env"],
                         capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    with _client(prefect_server["api"]) as client:
        pool = client.read_work_pool("counterclaim")
        assert pool.type == "process"
        for spec in load_specs():
            dep = client.read_deployment_by_name(f"{spec.name}/{spec.name}")
            assert dep.work_pool_name == "counterclaim"
            assert dep.entrypoint == spec.entrypoint
            assert [s.schedule.cron for s in dep.schedules] == [s.cron for s in spec.schedules]
            assert dep.global_concurrency_limit is not None and dep.global_concurrency_limit.limit == 1
            # the worker runs the flow from the project folder
            assert any("set_working_directory" in str(step) and str(ROOT) in str(step) for step in dep.pull_steps or [])
