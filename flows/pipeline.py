"""Prefect wiring: thin tasks around the stages, one parent flow.

Tasks return small references (path, rows, hash), never the data itself.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows import stages
from flows.ingest import is_url
from flows.settings import Settings

# Stages write files, so Prefect's input cache must never skip one.
_TASK = dict(cache_policy=NO_CACHE, retries=1, retry_delay_seconds=2)


@task(name="prepare", **_TASK)
def prepare_task(settings: Settings) -> dict[str, Any]:
    return stages.prepare(settings)


@task(name="deduplicate", **_TASK)
def deduplicate_task(settings: Settings) -> dict[str, Any]:
    return stages.deduplicate(settings)


@task(name="extract", **_TASK)
def extract_task(settings: Settings, doc_ids: list[str], versions: dict[str, str]) -> dict[str, int]:
    return stages.extract(settings, doc_ids, versions)


@task(name="assemble", **_TASK)
def assemble_task(settings: Settings, versions: dict[str, str]) -> dict[str, Any]:
    return stages.assemble(settings, versions)


@task(name="commit", cache_policy=NO_CACHE)
def commit_task(settings: Settings) -> dict[str, Any]:
    return stages.commit(settings)


@task(name="publish-output", **_TASK)
def publish_task(settings: Settings, refs: dict[str, Any]) -> dict[str, Any] | None:
    return stages.publish(settings, refs)


def make_task_runner(settings: Settings):
    """The runner is configuration: threads or processes here, Dask for a cluster."""
    if settings.task_runner == "dask":
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:
            raise RuntimeError("task_runner 'dask' needs prefect-dask: pip install 'counterclaim[dask]'") from exc
        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1})
    if settings.task_runner == "processes":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=settings.workers)
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=settings.workers)


def _artifact(settings: Settings, refs: dict[str, Any]) -> None:
    from flows.views import connect

    con = connect(settings.tables_dir, None)
    per_outlet = con.sql(
        "SELECT coalesce(d.outlet, d.source) AS outlet, count(DISTINCT d.doc_id) AS documents, "
        "count(DISTINCT q.quote_id) AS quotes, count(DISTINCT c.claim_id) AS claims "
        "FROM documents d LEFT JOIN quotes q USING (doc_id) LEFT JOIN claims c USING (doc_id) "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()
    rows = [{"table": name, "outlet": "(all)", "rows": ref["rows"]} for name, ref in sorted(refs.items())]
    rows += [
        {"table": "documents/quotes/claims", "outlet": outlet, "rows": f"{d}/{q}/{c}"}
        for outlet, d, q, c in per_outlet
    ]
    create_table_artifact(key="counterclaim-row-counts", table=rows, description="Rows per table and per outlet")


@flow(name="counterclaim-build", log_prints=True)
def build_flow(
    input_dir: str | None = None, data_dir: str | None = None, options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Ingest, clean, deduplicate, extract and assemble; then swap the tables in.

    ``options`` overrides any other setting by name (e.g. ``{"spacy_model": "en_core_web_md"}``).
    """
    overrides = {k: v for k, v in {"input_dir": input_dir, "data_dir": data_dir}.items() if v is not None}
    # A deployment parameter may name a bucket: a URL is not a local Path.
    if input_dir and is_url(input_dir):
        overrides["input_url"] = overrides.pop("input_dir")
    settings = Settings(**{**(options or {}), **overrides})
    started = time.perf_counter()
    with stages.data_lock(settings.data_dir):
        stages.reset_staging(settings)
        prepare_task(settings)
        deduplicate_task(settings)
        doc_ids = stages.canonical_doc_ids(settings)
        # Fixed here, on the flow's host, and handed to every batch: a Dask worker
        # with other code or another model refuses rather than filing its results
        # under keys this run will read.
        versions = stages.run_versions(settings)
        futures = [
            extract_task.submit(settings, batch, versions) for batch in stages.batches(doc_ids, settings.docs_per_task)
        ]
        totals = _collect(futures, len(doc_ids))
        assemble_task(settings, versions)
        refs = commit_task(settings)
        # Inside the lock: a second run must not publish between this run's commit and upload.
        published = publish_task(settings, refs) if settings.output_url else None
    _artifact(settings, refs)
    return summary(refs, totals, time.perf_counter() - started, published)


def _collect(futures: list, n_docs: int) -> dict[str, int]:
    """Wait for the extract tasks, with a progress bar on stderr."""
    from prefect.futures import as_completed
    from rich.console import Console
    from rich.progress import Progress

    totals = {"processed": 0, "reused": 0, "tokens": 0}
    with Progress(console=Console(stderr=True), transient=False) as progress:
        bar = progress.add_task(f"NLP over {n_docs} canonical documents", total=n_docs or 1)
        for future in as_completed(futures):
            stats = future.result()
            for k in totals:
                totals[k] += stats[k]
            progress.advance(bar, stats["processed"] + stats["reused"])
        if not n_docs:
            progress.advance(bar, 1)
    return totals


def summary(
    refs: dict[str, Any], totals: dict[str, int], seconds: float, published: dict[str, Any] | None = None
) -> dict[str, Any]:
    out = {
        "documents": refs["documents"]["rows"],
        "rejected": refs["rejects"]["rows"],
        "nlp_processed": totals["processed"],
        "nlp_reused": totals["reused"],
        "tokens": totals["tokens"],
        "tables": {name: ref["rows"] for name, ref in sorted(refs.items())},
        "seconds": round(seconds, 2),
    }
    if published:
        out["published"] = published
    return out


def run_pipeline(settings: Settings) -> dict[str, Any]:
    """Run the flow with the task runner the settings ask for."""
    configured = build_flow.with_options(task_runner=make_task_runner(settings))
    options = settings.model_dump(mode="json", exclude={"input_dir", "data_dir"})
    return configured(input_dir=str(Path(settings.input_dir)), data_dir=str(Path(settings.data_dir)), options=options)
