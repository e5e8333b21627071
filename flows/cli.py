"""The counterclaim command line. Prefect is imported only by commands that run flows."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Who said what, who alleged and who denied, per outlet.")


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _settings(**overrides):
    from flows.settings import Settings

    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _err(message: str, code: int = 1) -> None:
    typer.echo(f"counterclaim: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def run(
    # A string, not a Path: typer's Path would turn "s3://bucket/x" into "s3:/bucket/x".
    input: Optional[str] = typer.Option(
        None, "--input", help="Folder of articles, or an fsspec URL such as s3://bucket/articles (default: seeds)."
    ),
    data: Optional[Path] = typer.Option(None, "--data", help="Output folder (default: data)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object on stdout."),
) -> None:
    """Run the whole pipeline on a folder of articles."""
    from flows.ingest import InputFolder, is_url

    if input is not None and is_url(input):
        settings = _settings(input_url=input, data_dir=data)
    else:
        settings = _settings(input_dir=Path(input) if input is not None else None, data_dir=data)
    try:
        found = InputFolder(settings.input_location).is_dir()
    except (ImportError, ValueError) as exc:  # an unknown protocol, or its package missing (s3fs)
        _err(f"cannot read {settings.input_location}: {exc}")
    if not found:
        _err(f"input folder not found: {settings.input_location}")
    from flows.stages import RunLocked, data_lock

    # A local tool on a closed network: the temporary server must not phone home.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The temporary server takes 7-16 s to start on a 2-core machine, more under load; past
    # Prefect's default wait the whole run fails before it starts (seen in bench_incremental)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")

    try:
        # Refuse before paying for Prefect's start-up; the flow takes the lock for real.
        with data_lock(settings.data_dir):
            pass
    except RunLocked as exc:
        _err(str(exc), code=3)
    typer.echo(f"counterclaim: building {settings.data_dir} from {settings.input_location} ...", err=True)
    try:
        # Prefect logs go to stderr, so stdout holds only the summary.
        from flows.pipeline import run_pipeline

        result = run_pipeline(settings)
    except RunLocked as exc:
        _err(str(exc), code=3)
    if as_json:
        sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in result["tables"].items():
        table.add_row(name, str(rows))
    console = Console()
    console.print(f"counterclaim: {result['documents']} documents in {result['seconds']} s")
    console.print(table)
    console.print(
        f"rejected: {result['rejected']}  nlp processed: {result['nlp_processed']}  nlp reused: {result['nlp_reused']}"
    )


def _connect(data: Optional[Path], snapshot: Optional[Path]):
    from flows.views import connect

    settings = _settings(data_dir=data)
    if snapshot is not None:
        return connect(snapshot / "tables", snapshot / "sql" if (snapshot / "sql").is_dir() else settings.sql_dir)
    return connect(settings.tables_dir, settings.sql_dir)


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL over the tables and views."),
    data: Optional[Path] = typer.Option(None, "--data", help="Data folder (default: data)."),
    snapshot: Optional[Path] = typer.Option(None, "--snapshot", help="Query a downloaded snapshot folder instead."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
) -> None:
    """Query the tables and views with DuckDB (read-only)."""
    import duckdb

    from flows.views import read_only_query

    try:
        con = _connect(data, snapshot)
        rel = read_only_query(con, sql)
    except (FileNotFoundError, PermissionError, RuntimeError, duckdb.Error) as exc:
        _err(str(exc))
    if rel is None:
        return
    columns = rel.columns
    if fmt is OutputFormat.json:
        rows = rel.fetchall()
        sys.stdout.write(json.dumps([dict(zip(columns, r)) for r in rows], default=str, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.csv:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rel.fetchall())
    else:
        # DuckDB's own box rendering: familiar to its users, and it elides long text.
        sys.stdout.write(str(rel) + "\n")


@app.command()
def tables(data: Optional[Path] = typer.Option(None, "--data", help="Data folder (default: data).")) -> None:
    """List tables and views with their row counts."""
    from flows.schema import TABLES

    try:
        con = _connect(data, None)
    except (FileNotFoundError, RuntimeError) as exc:
        _err(str(exc))
    names = [r[0] for r in con.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1").fetchall()]
    for name in sorted(names, key=lambda n: (n not in TABLES, n)):
        n = con.sql(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
        kind = "table" if name in TABLES else "view"
        typer.echo(f"{name:32} {kind:6} {n:>8}")


@app.command()
def publish(
    data: Optional[Path] = typer.Option(None, "--data", help="Data folder with a finished build (default: data)."),
    dest: Optional[Path] = typer.Option(None, "--dest", help="Folder of published versions (default: published)."),
    version: Optional[str] = typer.Option(None, "--version", help="Version name (default: today, YYYY-MM-DD[.n])."),
    input: Optional[Path] = typer.Option(None, "--input", help="Input folder, to record raw file hashes (optional)."),
    base_url: Optional[str] = typer.Option(
        None, "--base-url", help="http(s) URL the published folder will be served at, for the landing pages' download command."
    ),
) -> None:
    """Publish the built tables and views as an immutable, checksummed snapshot.

    Prints the version alone on stdout's last line.
    """
    from flows.publish import PublishError
    from flows.publish import publish as publish_snapshot

    settings = _settings(data_dir=data, publish_dir=dest)
    try:
        published = publish_snapshot(
            settings.data_dir, settings.publish_dir, version, settings.sql_dir, input, base_url=base_url
        )
    except (PublishError, OSError) as exc:
        _err(f"publish failed: {exc}")
    typer.echo(f"counterclaim: published {settings.publish_dir / published}", err=True)
    sys.stdout.write(published + "\n")


@app.command()
def download(
    source: str = typer.Argument(..., help="Published folder: http(s):// URL, file:// URL or local path."),
    version: Optional[str] = typer.Option(None, "--version", help="Version to fetch (default: the one latest.json names)."),
    to: Path = typer.Option(Path("snapshots"), "--to", help="Folder to put the snapshot in."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Download a published snapshot, verify every file, then query it with --snapshot.

    Prints the snapshot folder alone on stdout's last line.
    """
    from flows.download import DownloadError
    from flows.download import download as download_snapshot

    try:
        folder = download_snapshot(source, to, version, progress=not quiet)
    except (DownloadError, OSError) as exc:
        _err(f"download failed: {exc}")
    typer.echo(f"counterclaim: verified snapshot in {folder}; query it with: counterclaim query --snapshot {folder} SQL", err=True)
    sys.stdout.write(f"{folder}\n")


@app.command()
def verify(folder: Path = typer.Argument(..., help="A downloaded or published snapshot folder.")) -> None:
    """Check a snapshot folder against its datapackage.json and SHA256SUMS."""
    from flows.download import verify_snapshot

    problems = verify_snapshot(folder)
    if problems:
        for p in problems:
            typer.echo(f"MISMATCH {p}")
        typer.echo(f"counterclaim: {folder} does not verify ({len(problems)} problem(s))", err=True)
        raise typer.Exit(1)
    typer.echo(f"OK {folder}")


@app.command()
def serve(
    prefect_file: Optional[Path] = typer.Option(None, "--prefect-file", help="Deployment definitions (default: prefect.yaml at the project root)."),
    paused: bool = typer.Option(False, "--paused", help="Register with schedules paused: only triggered runs execute."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Most flow runs this process executes at once."),
) -> None:
    """Register the deployments in prefect.yaml with the server at PREFECT_API_URL and run them here.

    Blocks until interrupted (Ctrl-C). Scheduled and triggered runs execute as subprocesses of this process.
    """
    from flows.deployments import PREFECT_YAML, DeploymentConfigError, load_specs, require_api_url
    from flows.deployments import serve as serve_deployments

    path = prefect_file or PREFECT_YAML
    try:
        url = require_api_url()
        specs = load_specs(path)
    except DeploymentConfigError as exc:
        _err(str(exc))
    for spec in specs:
        typer.echo(f"counterclaim: serving {spec.name} ({spec.entrypoint}) cron={spec.cron} against {url}", err=True)
    try:
        serve_deployments(path, paused=paused, limit=limit)
    except DeploymentConfigError as exc:
        _err(str(exc))
    except KeyboardInterrupt:
        typer.echo("counterclaim: stopped serving", err=True)


@app.command()
def deploy(
    prefect_file: Optional[Path] = typer.Option(None, "--prefect-file", help="Deployment definitions (default: prefect.yaml at the project root)."),
    pool: Optional[str] = typer.Option(None, "--pool", help="Work pool (default: the one prefect.yaml names)."),
) -> None:
    """Register the deployments in prefect.yaml against a process work pool (creating it if needed).

    Runs execute on a worker: prefect worker start --pool counterclaim
    """
    from flows.deployments import PREFECT_YAML, DeploymentConfigError
    from flows.deployments import deploy as deploy_deployments

    try:
        code = deploy_deployments(prefect_file or PREFECT_YAML, pool=pool)
    except DeploymentConfigError as exc:
        _err(str(exc))
    if code:
        _err("prefect deploy failed", code=code)


if __name__ == "__main__":
    app()
