"""The deployments declared in ``prefect.yaml``, for ``counterclaim serve`` and ``deploy``.

``prefect.yaml`` at the project root is the single source of truth: name,
entrypoint, cron schedules, parameters and concurrency limit of each
deployment are read from it here, never repeated in Python.

Reading the file needs only PyYAML; Prefect is imported by the functions that
build or register deployments.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.settings import PROJECT_ROOT

PREFECT_YAML = PROJECT_ROOT / "prefect.yaml"
DEFAULT_WORK_POOL = "counterclaim"


class DeploymentConfigError(RuntimeError):
    """prefect.yaml is missing, malformed, or no server is configured."""


@dataclass(frozen=True)
class ScheduleSpec:
    cron: str
    timezone: str = "UTC"
    active: bool = True
    day_or: bool | None = None


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    entrypoint: str
    schedules: tuple[ScheduleSpec, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)
    concurrency_limit: int | None = None
    collision_strategy: str = "ENQUEUE"
    description: str | None = None
    tags: tuple[str, ...] = ()
    work_pool: str | None = None
    work_queue: str | None = None

    @property
    def cron(self) -> str | None:
        return self.schedules[0].cron if self.schedules else None


def _schedule(raw: Any, where: str) -> ScheduleSpec:
    if not isinstance(raw, dict) or not raw.get("cron"):
        raise DeploymentConfigError(f"{where}: only cron schedules are supported (got {raw!r})")
    return ScheduleSpec(
        cron=str(raw["cron"]),
        timezone=str(raw.get("timezone") or "UTC"),
        active=bool(raw.get("active", True)),
        day_or=raw.get("day_or"),
    )


def _concurrency(raw: Any, where: str) -> tuple[int | None, str]:
    if raw is None:
        return None, "ENQUEUE"
    if isinstance(raw, int):
        return raw, "ENQUEUE"
    if isinstance(raw, dict) and isinstance(raw.get("limit"), int):
        return raw["limit"], str(raw.get("collision_strategy") or "ENQUEUE").upper()
    raise DeploymentConfigError(f"{where}: concurrency_limit must be an int or {{limit, collision_strategy}}")


def load_specs(path: Path | str = PREFECT_YAML) -> list[DeploymentSpec]:
    """Every deployment declared in ``prefect.yaml``, in file order."""
    import yaml

    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise DeploymentConfigError(f"{path} not found") from None
    except yaml.YAMLError as exc:
        raise DeploymentConfigError(f"{path} is not valid YAML: {exc}") from None
    raw_deployments = doc.get("deployments") or []
    if not isinstance(raw_deployments, list) or not raw_deployments:
        raise DeploymentConfigError(f"{path} declares no deployments")
    specs = []
    for i, raw in enumerate(raw_deployments):
        where = f"{path.name}: deployments[{i}]"
        if not isinstance(raw, dict) or not raw.get("name") or not raw.get("entrypoint"):
            raise DeploymentConfigError(f"{where} needs a name and an entrypoint")
        limit, strategy = _concurrency(raw.get("concurrency_limit"), where)
        pool = raw.get("work_pool") or {}
        specs.append(
            DeploymentSpec(
                name=str(raw["name"]),
                entrypoint=str(raw["entrypoint"]),
                schedules=tuple(_schedule(s, where) for s in raw.get("schedules") or []),
                parameters=dict(raw.get("parameters") or {}),
                concurrency_limit=limit,
                collision_strategy=strategy,
                description=raw.get("description"),
                tags=tuple(raw.get("tags") or ()),
                work_pool=pool.get("name") if isinstance(pool, dict) else None,
                work_queue=pool.get("work_queue_name") if isinstance(pool, dict) else None,
            )
        )
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise DeploymentConfigError(f"{path.name}: deployment names repeat: {names}")
    return specs


def _configured_build_flow():
    """``pipeline.build_flow`` with the task runner the settings ask for.

    A deployment run loads its flow from the entrypoint in a fresh process, so
    ``run_pipeline``'s ``with_options(task_runner=...)`` never happens there: the
    decorator's default (threads) would run every scheduled build, whatever
    ``COUNTERCLAIM_TASK_RUNNER`` says. This is the entrypoint prefect.yaml names
    instead; the settings are read from the environment of the process that
    executes the run (the ``serve`` process or the worker).
    """
    from flows.pipeline import build_flow as plain, make_task_runner
    from flows.settings import Settings

    return plain.with_options(task_runner=make_task_runner(Settings()))


def __getattr__(name: str) -> Any:
    # PEP 562, as in flows/publish.py: the CLI imports this module without Prefect.
    if name == "build_flow":
        flow_obj = _configured_build_flow()
        globals()["build_flow"] = flow_obj
        return flow_obj
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def require_api_url() -> str:
    """The server to register against: PREFECT_API_URL, set in the environment or a Prefect profile."""
    url = os.environ.get("PREFECT_API_URL")
    if not url:
        from prefect.settings import PREFECT_API_URL

        url = PREFECT_API_URL.value()
    if not url:
        raise DeploymentConfigError(
            "PREFECT_API_URL is not set. Start a server (`prefect server start`) and point at it, e.g.\n"
            "  export PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    return url


def runner_deployments(specs: list[DeploymentSpec], *, paused: bool = False) -> list[Any]:
    """RunnerDeployments for ``prefect.serve``, built from the entrypoints.

    ``from_entrypoint`` (rather than ``flow.to_deployment``) keeps the entrypoint
    exactly as written in prefect.yaml: ``publish_flow`` is built inside a
    function (see flows/publish.py), so its qualified name is not importable
    and ``to_deployment`` would record a broken entrypoint. The entrypoints are
    relative to the project root, which must be the working directory.
    """
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.deployments.runner import RunnerDeployment
    from prefect.schedules import Cron

    out = []
    for spec in specs:
        schedules = [
            Cron(s.cron, timezone=s.timezone, active=s.active, **({"day_or": s.day_or} if s.day_or is not None else {}))
            for s in spec.schedules
        ]
        concurrency = (
            ConcurrencyLimitConfig(
                limit=spec.concurrency_limit, collision_strategy=ConcurrencyLimitStrategy(spec.collision_strategy)
            )
            if spec.concurrency_limit is not None
            else None
        )
        out.append(
            RunnerDeployment.from_entrypoint(
                spec.entrypoint,
                name=spec.name,
                schedules=schedules,
                parameters=spec.parameters,
                concurrency_limit=concurrency,
                description=spec.description,
                tags=list(spec.tags),
                paused=paused or None,
            )
        )
    return out


def serve(path: Path | str = PREFECT_YAML, *, paused: bool = False, limit: int | None = None) -> None:
    """Register every deployment in prefect.yaml and execute their runs in this process (blocks)."""
    require_api_url()
    path = Path(path).resolve()
    specs = load_specs(path)
    os.chdir(path.parent)  # entrypoints and relative parameters are relative to prefect.yaml
    from prefect import serve as prefect_serve

    prefect_serve(*runner_deployments(specs, paused=paused), limit=limit)


def deploy(path: Path | str = PREFECT_YAML, *, pool: str | None = None, create_pool: bool = True) -> int:
    """Register every deployment against its process work pool with ``prefect deploy --all``.

    Creates the pool (type ``process``) if it does not exist. Returns the exit code.
    """
    require_api_url()
    path = Path(path).resolve()
    specs = load_specs(path)
    pools = {pool} if pool else {s.work_pool or DEFAULT_WORK_POOL for s in specs}
    prefect = [sys.executable, "-m", "prefect"]
    if create_pool:
        for name in sorted(pools):
            exists = subprocess.run([*prefect, "work-pool", "inspect", name], cwd=path.parent, capture_output=True)
            if exists.returncode != 0:
                created = subprocess.run([*prefect, "work-pool", "create", name, "--type", "process"], cwd=path.parent)
                if created.returncode != 0:
                    return created.returncode
    cmd = [*prefect, "--no-prompt", "deploy", "--all", "--prefect-file", str(path)]
    if pool:
        cmd += ["--pool", pool]
    return subprocess.run(cmd, cwd=path.parent).returncode
