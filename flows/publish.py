"""Publish the built tables as an immutable, versioned, checksummed snapshot.

Layout of ``<dest>``::

    latest.json                 {"version": ..., "path": "<version>/", "published_at": ...}
    <version>/
        tables/<name>/<name>.parquet
        sql/<view>.sql
        datapackage.json        Frictionless data package: provenance and one resource per file
        README.md               the dataset card
        index.html              landing page: card, charts, tables, commands (flows/site.py)
        SHA256SUMS              "<hex>  <path>" for every other file
    index.html                  every version, newest first (rewritten after latest.json)

A version is assembled in a hidden ``.tmp-*`` folder and renamed into place;
``latest.json`` is replaced last. A failure at any step leaves no new version
and the old ``latest.json``.

Prefect is not imported here unless ``publish_flow`` is asked for, so the CLI
stays fast; see ``__getattr__`` at the bottom.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from contextlib import contextmanager
from datetime import date, datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

import flows
from flows.download import verify_snapshot
from flows.schema import SCHEMA_VERSION, TABLES, field_description
from flows.site import check_base_url, render_snapshot_page, render_versions_page
from flows.storage import atomic_write_bytes, file_sha256

PACKAGE_NAME = "counterclaim"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
SQL_MEDIATYPE = "application/sql"
SUMS_NAME = "SHA256SUMS"
MANIFEST_NAME = "datapackage.json"
CARD_NAME = "README.md"
LATEST_NAME = "latest.json"

# A version is one path component that sorts and reads well in a URL.
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")

# The article text belongs to its publishers; only the annotations are ours to
# license. Callers with a different arrangement pass their own ``licenses``.
DEFAULT_LICENSES: list[dict[str, str]] = [
    {
        "name": "other-at",
        "title": "Annotations: reuse with attribution to counterclaim. Article text and headlines remain "
        "the copyright of their publishers (see sources).",
    }
]

# What one row of each table is; column descriptions come from flows/schema.py.
TABLE_SUMMARIES: dict[str, str] = {
    "documents": "one article after cleaning",
    "removed_lines": "one line that cleaning removed from an article",
    "near_duplicates": "one pair of related articles (exact, near-duplicate, rewrite or same-story)",
    "entities": "one named-entity mention",
    "quotes": "one direct, partial or indirect quote",
    "claims": "one attributed allegation, denial or other statement",
    "rejects": "one input that could not be used, with the reason",
}


class PublishError(RuntimeError):
    """Publishing refused or failed; nothing was published."""


# ---------------------------------------------------------------- checks


def check_build_complete(data_dir: Path) -> dict[str, Path]:
    """The Parquet file of every table, or an error if the build is not complete.

    A non-empty ``staging/`` means a run is in progress or was killed, so the
    tables may be from different runs: publishing then could mix them.
    """
    data_dir = Path(data_dir)
    staging = data_dir / "staging"
    if staging.is_dir() and any(staging.iterdir()):
        raise PublishError(
            f"{staging} is not empty: a build is in progress or was interrupted; "
            "run 'counterclaim run' to completion, then publish"
        )
    paths: dict[str, Path] = {}
    missing: list[str] = []
    for name in TABLES:
        path = data_dir / "tables" / name / f"{name}.parquet"
        if path.is_file():
            paths[name] = path
        else:
            missing.append(name)
    if missing:
        raise PublishError(
            f"table(s) missing in {data_dir / 'tables'}: {', '.join(missing)}; run 'counterclaim run' first"
        )
    return paths


def check_version(version: str) -> str:
    if not VERSION_RE.match(version) or version in {".", ".."} or version.lower() in {"latest", "index.html"}:
        raise PublishError(
            f"invalid version {version!r}: use letters, digits, '.', '-' or '_' (e.g. 2024-05-01 or 2024-05-01.2)"
        )
    return version


def next_version(dest: Path, today: date) -> str:
    """``YYYY-MM-DD``, or ``YYYY-MM-DD.<n>`` after the highest of that day already there."""
    stem = today.isoformat()
    taken = {p.name for p in Path(dest).iterdir()} if Path(dest).is_dir() else set()
    if stem not in taken:
        return stem
    counters = [int(m.group(1)) for n in taken if (m := re.fullmatch(re.escape(stem) + r"\.(\d+)", n))]
    return f"{stem}.{max(counters, default=1) + 1}"


@contextmanager
def _lock(path: Path, message: str) -> Iterator[None]:
    """Hold an exclusive, non-blocking flock on ``path`` (created if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(message) from None
        yield
    finally:
        fh.close()


# ---------------------------------------------------------------- provenance


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(ts: datetime) -> str:
    return ts.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def git_commit(root: Path) -> dict[str, Any]:
    """Commit of the code that published, when it runs from a git checkout."""
    # GIT_OPTIONAL_LOCKS=0: `git status` must not take index.lock while others commit.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, env=env
        )
        if commit.returncode != 0:
            return {}
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10, env=env,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    out: dict[str, Any] = {"git_commit": commit.stdout.strip()}
    if status.returncode == 0:
        out["git_dirty"] = bool(status.stdout.strip())
    return out


def code_version() -> dict[str, Any]:
    return {"counterclaim": flows.__version__, **git_commit(Path(flows.__file__).resolve().parent.parent)}


def _dist_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def spacy_model() -> dict[str, Any]:
    """The model a build would use; publishing must not fail without spaCy."""
    try:
        from flows.nlp import resolve_model_name

        name = resolve_model_name("auto")
    except Exception:  # spaCy or a model missing: provenance is best effort
        return {"name": None, "version": None}
    return {"name": name, "version": _dist_version(name)}


def library_versions() -> dict[str, Any]:
    # importlib.metadata, not imports: reading a version must not load prefect or spaCy.
    libs: dict[str, Any] = {name: _dist_version(name) for name in ("pyarrow", "duckdb", "spacy", "prefect")}
    libs["python"] = sys.version.split()[0]
    libs["spacy_model"] = spacy_model()
    return libs


def read_sources(documents: Path, input_dir: Path | None = None) -> list[dict[str, Any]]:
    """One entry per input article, from the documents table.

    With ``input_dir``, the sha256 of the raw input file is added where the
    file is still there, so a user can check a copy of the input against it.
    """
    table = pq.read_table(documents, columns=["source", "outlet", "content_hash"])
    rows = sorted(table.to_pylist(), key=lambda r: r["source"])
    file_hashes: dict[str, str | None] = {}
    out: list[dict[str, Any]] = []
    for r in rows:
        entry: dict[str, Any] = {
            # "title" keeps each entry a valid Frictionless source.
            "title": r["source"],
            "source": r["source"],
            "outlet": r["outlet"],
            "content_hash": r["content_hash"],
        }
        if input_dir is not None:
            file_part = r["source"].split("#", 1)[0]
            if file_part not in file_hashes:
                raw = Path(input_dir) / file_part
                file_hashes[file_part] = file_sha256(raw) if raw.is_file() else None
            if file_hashes[file_part]:
                entry["file_sha256"] = file_hashes[file_part]
        out.append(entry)
    return out


# ---------------------------------------------------------------- resources


def frictionless_type(t: pa.DataType) -> str:
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "number"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_timestamp(t):
        return "datetime"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return "array"
    if pa.types.is_struct(t) or pa.types.is_map(t):
        return "object"
    return "any"


def schema_fields(schema: pa.Schema) -> list[dict[str, Any]]:
    fields = []
    for f in schema:
        field: dict[str, Any] = {
            "name": f.name,
            "type": frictionless_type(f.type),
            "arrowType": str(f.type),
            "description": field_description(f),
        }
        if not f.nullable:
            field["constraints"] = {"required": True}
        fields.append(field)
    return fields


def file_entry(root: Path, rel: str) -> dict[str, Any]:
    path = root / rel
    return {"path": rel, "bytes": path.stat().st_size, "hash": f"sha256:{file_sha256(path)}"}


def table_resource(root: Path, name: str) -> dict[str, Any]:
    rel = f"tables/{name}/{name}.parquet"
    return {
        "name": name,
        "kind": "table",
        **file_entry(root, rel),
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "rows": pq.ParquetFile(root / rel).metadata.num_rows,
        "description": f"One row is {TABLE_SUMMARIES.get(name, 'a record')}.",
        "schema": {"fields": schema_fields(TABLES[name])},
    }


def resource_name(stem: str, taken: set[str]) -> str:
    """A Frictionless name (lowercase, ``-._``) unique among ``taken``."""
    name = re.sub(r"[^a-z0-9._-]", "-", stem.lower()) or "view"
    return name if name not in taken else f"view-{name}"


def view_description(sql_text: str) -> str:
    """The leading ``--`` comment lines of a view file, as its description."""
    lines = []
    for line in sql_text.splitlines():
        s = line.strip()
        if not s:
            if lines:
                break
            continue
        if not s.startswith("--"):
            break
        lines.append(s.lstrip("-").strip())
    return " ".join(lines)


def view_resource(root: Path, rel: str, taken: set[str]) -> dict[str, Any]:
    text = (root / rel).read_text(encoding="utf-8")
    return {
        "name": resource_name(Path(rel).stem, taken),
        "kind": "view",
        **file_entry(root, rel),
        "format": "sql",
        "mediatype": SQL_MEDIATYPE,
        "description": view_description(text),
    }


def copy_tables(paths: dict[str, Path], root: Path) -> None:
    for name, src in paths.items():
        dst = root / "tables" / name / f"{name}.parquet"
        dst.parent.mkdir(parents=True, exist_ok=True)
        # Byte-for-byte: the same build always publishes the same checksums.
        shutil.copyfile(src, dst)


def copy_views(sql_dir: Path | None, root: Path) -> list[str]:
    (root / "sql").mkdir(parents=True, exist_ok=True)
    rels = []
    if sql_dir is not None and Path(sql_dir).is_dir():
        for src in sorted(Path(sql_dir).glob("*.sql")):
            shutil.copyfile(src, root / "sql" / src.name)
            rels.append(f"sql/{src.name}")
    return rels


def count_view_rows(root: Path) -> dict[str, int]:
    """Open the assembled snapshot as a user will; a view that fails stops publishing."""
    import duckdb

    from flows.views import connect

    try:
        con = connect(root / "tables", root / "sql")
        names = [r[0] for r in con.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names if n not in TABLES}
    except (duckdb.Error, RuntimeError, FileNotFoundError) as exc:
        raise PublishError(f"the snapshot does not open in DuckDB: {exc}") from exc


def build_manifest(
    root: Path,
    version: str,
    created: datetime,
    view_rels: list[str],
    sources: list[dict[str, Any]],
    licenses: list[dict[str, str]],
) -> dict[str, Any]:
    resources = [table_resource(root, name) for name in TABLES]
    taken = set(TABLES)
    for rel in view_rels:
        res = view_resource(root, rel, taken)
        taken.add(res["name"])
        resources.append(res)
    return {
        "name": PACKAGE_NAME,
        "title": "counterclaim: who said what, who alleged and who denied, per outlet",
        "version": version,
        "created": iso(created),
        "licenses": licenses,
        # The table contract's version, apart from the data's: a reader checks it.
        "schema_version": SCHEMA_VERSION,
        "code_version": code_version(),
        "libraries": library_versions(),
        "sources": sources,
        "resources": resources,
    }


# ---------------------------------------------------------------- dataset card


def _md_cell(text: str) -> str:
    # Angle brackets would be read as HTML tags by most Markdown renderers.
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def dataset_card(manifest: dict[str, Any], view_rows: dict[str, int]) -> str:
    v = manifest["version"]
    tables = [r for r in manifest["resources"] if r.get("kind") == "table"]
    views = [r for r in manifest["resources"] if r.get("kind") == "view"]
    code = manifest["code_version"]
    libs = manifest["libraries"]
    model = libs.get("spacy_model") or {}
    outlets = sorted({s["outlet"] for s in manifest["sources"] if s.get("outlet")})
    out = [
        f"# counterclaim dataset {v}",
        "",
        "Who said what, who alleged and who denied, and which outlet carried which side, extracted from "
        f"{len(manifest['sources'])} news article(s)"
        + (f" from {len(outlets)} outlet(s): {', '.join(outlets)}." if outlets else "."),
        "",
        f"- version: `{v}` (created {manifest['created']})",
        f"- table schema version: `{manifest['schema_version']}`",
        f"- code: counterclaim {code.get('counterclaim')}"
        + (f", commit `{code['git_commit']}`" if code.get("git_commit") else "")
        + (" (with uncommitted changes)" if code.get("git_dirty") else ""),
        f"- spaCy {libs.get('spacy')}, model `{model.get('name')}` {model.get('version') or ''}".rstrip(),
        f"- licence: {'; '.join(lic.get('title') or lic.get('name', '') for lic in manifest['licenses'])}",
        "",
        "## Query it",
        "",
        "With counterclaim installed (HOST/PATH is where this snapshot is published):",
        "",
        "```sh",
        "counterclaim download https://HOST/PATH/ --to snapshots   # or a local published folder",
        f"counterclaim verify snapshots/{v}",
        f"counterclaim query --snapshot snapshots/{v} \"SELECT outlet, count(*) FROM documents GROUP BY outlet\"",
        "```",
        "",
        "With plain DuckDB (no counterclaim), from inside this folder:",
        "",
        "```sql",
        "SELECT outlet, count(*) AS n FROM read_parquet('tables/documents/*.parquet') GROUP BY outlet;",
        "CREATE VIEW claims AS SELECT * FROM read_parquet('tables/claims/*.parquet');",
        "```",
        "",
        "For the views in plain DuckDB, first create one view per table as in the last line above, "
        "then run the files in `sql/` (a view that reads another must come after it).",
        "",
        "## Tables",
        "",
        "| table | one row is | rows | file |",
        "|---|---|---:|---|",
    ]
    for r in tables:
        out.append(f"| `{r['name']}` | {_md_cell(TABLE_SUMMARIES.get(r['name'], ''))} | {r['rows']} | `{r['path']}` |")
    for r in tables:
        out += ["", f"### `{r['name']}`", "", "| column | type | description |", "|---|---|---|"]
        for f in r["schema"]["fields"]:
            req = " (never null)" if f.get("constraints", {}).get("required") else ""
            out.append(f"| `{f['name']}` | `{f['arrowType']}` | {_md_cell(f['description'])}{req} |")
    out += ["", "## Views", ""]
    if views:
        out += ["| view | rows | what it holds |", "|---|---:|---|"]
        for r in views:
            stem = Path(r["path"]).stem
            rows = view_rows.get(stem, "")
            out.append(f"| `{stem}` (`{r['path']}`) | {rows} | {_md_cell(r.get('description') or '')} |")
    else:
        out.append("This snapshot has no views: query the tables.")
    out += [
        "",
        "## Integrity",
        "",
        f"`{SUMS_NAME}` lists the sha256 of every other file (`sha256sum -c {SUMS_NAME}` checks them); "
        f"`{MANIFEST_NAME}` (a Frictionless data package) repeats each table's and view's size and hash, "
        "with row counts, column descriptions, the sources and the versions of the code and libraries.",
        "",
        "## Known limits",
        "",
        "- Extraction is automatic (spaCy plus rules): speakers, claim types and propositions can be wrong "
        "or missing; check a claim against `documents.text` with its offsets before citing it.",
        "- Offsets are 0-based Python string offsets into `documents.text`; in DuckDB use "
        "`substring(text, start_char + 1, end_char - start_char)`.",
        "- `outlet` is null where no metadata or self-naming line identified the publisher.",
        "- Only canonical documents (`duplicate_of` is null) went through NLP; copies have no entities, "
        "quotes or claims of their own.",
        "- Article text remains the copyright of its publishers.",
        f"- `{SUMS_NAME}` is not signed: it detects corruption and incomplete transfers, not a host "
        "that replaces the files and their checksums together.",
        "",
    ]
    return "\n".join(out)


# ---------------------------------------------------------------- sums


def list_files(root: Path) -> list[str]:
    """Every regular file under ``root`` as a POSIX relative path, sorted."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def sha256sums(root: Path, rels: list[str]) -> str:
    # sha256sum's text format: two spaces, so `sha256sum -c` reads it.
    return "".join(f"{file_sha256(root / rel)}  {rel}\n" for rel in rels)


def latest_json(version: str, published_at: datetime) -> bytes:
    return (json.dumps({"version": version, "path": f"{version}/", "published_at": iso(published_at)}, indent=1) + "\n").encode()


def _make_read_only(root: Path) -> None:
    # Files only: folders stay writable so a failed publish can still remove its own.
    for p in root.rglob("*"):
        if p.is_file():
            p.chmod(0o444)


# ---------------------------------------------------------------- publish


def assemble(
    root: Path,
    tables: dict[str, Path],
    sql_dir: Path | None,
    version: str,
    created: datetime,
    input_dir: Path | None,
    licenses: list[dict[str, str]],
    base_url: str | None = None,
) -> dict[str, Any]:
    """Fill ``root`` with the whole snapshot; returns the manifest."""
    copy_tables(tables, root)
    view_rels = copy_views(sql_dir, root)
    view_rows = count_view_rows(root)
    sources = read_sources(root / "tables" / "documents" / "documents.parquet", input_dir)
    manifest = build_manifest(root, version, created, view_rels, sources, licenses)
    (root / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (root / CARD_NAME).write_text(dataset_card(manifest, view_rows), encoding="utf-8")
    # The landing page (charts inline) is read from the manifest and card above; like
    # the card it is listed in SHA256SUMS, not as a datapackage resource.
    render_snapshot_page(root, base_url)
    (root / SUMS_NAME).write_text(sha256sums(root, [r for r in list_files(root) if r != SUMS_NAME]), encoding="utf-8")
    return manifest


def publish(
    data_dir: Path,
    dest: Path,
    version: str | None,
    sql_dir: Path,
    input_dir: Path | None = None,
    *,
    licenses: list[dict[str, str]] | None = None,
    now: datetime | None = None,
    base_url: str | None = None,
) -> str:
    """Publish ``data_dir``'s tables and ``sql_dir``'s views as ``dest/<version>``; returns the version."""
    data_dir, dest = Path(data_dir), Path(dest)
    created = now or utc_now()
    if version is not None:
        check_version(version)
    try:
        base_url = check_base_url(base_url)
    except ValueError as exc:
        raise PublishError(str(exc)) from None
    if not data_dir.is_dir():
        raise PublishError(f"data folder not found: {data_dir}; run 'counterclaim run' first")
    dest.mkdir(parents=True, exist_ok=True)
    # The data lock keeps a run from committing tables while they are copied;
    # the publish lock keeps two publishes from picking the same version.
    with _lock(data_dir / ".counterclaim.lock", f"a counterclaim run is using {data_dir}; publish after it finishes"), \
            _lock(dest / ".publish.lock", f"another publish is writing to {dest}; try again when it finishes"):
        tables = check_build_complete(data_dir)
        version = version or next_version(dest, created.date())
        final = dest / version
        if final.exists():
            raise PublishError(f"version {version} already exists in {dest}; published versions are never overwritten")
        tmp = dest / f".tmp-{version}-{secrets.token_hex(4)}"
        tmp.mkdir()
        try:
            assemble(tmp, tables, sql_dir, version, created, input_dir, licenses or DEFAULT_LICENSES, base_url)
            # Check the result exactly as a downloader will, before anyone can see it.
            problems = verify_snapshot(tmp)
            if problems:
                raise PublishError("the assembled snapshot does not verify: " + "; ".join(problems))
            _make_read_only(tmp)
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        try:
            atomic_write_bytes(dest / LATEST_NAME, latest_json(version, utc_now()))
        except BaseException:
            # A version that latest.json does not name was never announced: take it back.
            shutil.rmtree(final, ignore_errors=True)
            raise
        try:
            render_versions_page(dest, base_url)
        except Exception as exc:  # the version is published and announced; the index is a convenience
            print(f"counterclaim: warning: {dest / 'index.html'} not updated: {exc}", file=sys.stderr)
    return version


# ---------------------------------------------------------------- Prefect


def manifest_markdown(manifest: dict[str, Any], dest: Path) -> str:
    lines = [
        f"# counterclaim snapshot {manifest['version']}",
        "",
        f"Published to `{dest / manifest['version']}`; schema {manifest['schema_version']}, "
        f"code {manifest['code_version'].get('counterclaim')} {manifest['code_version'].get('git_commit', '')}".rstrip(),
        "",
        "| resource | kind | rows | bytes | sha256 |",
        "|---|---|---:|---:|---|",
    ]
    for r in manifest["resources"]:
        lines.append(f"| {r['name']} | {r['kind']} | {r.get('rows', '')} | {r['bytes']} | `{r['hash'][7:19]}…` |")
    lines += ["", f"{len(manifest['sources'])} source article(s)."]
    return "\n".join(lines)


def _build_publish_flow():
    from prefect import flow
    from prefect.artifacts import create_markdown_artifact

    @flow(name="counterclaim-publish", log_prints=False)
    def publish_flow(data_dir: str | None = None, dest: str | None = None, version: str | None = None) -> str:
        """Publish the built tables as a snapshot and leave a markdown summary artifact."""
        from flows.settings import Settings

        settings = Settings(**{k: Path(v) for k, v in {"data_dir": data_dir}.items() if v is not None})
        target = Path(dest) if dest is not None else settings.publish_dir
        published = publish(settings.data_dir, target, version, settings.sql_dir, settings.input_dir)
        manifest = json.loads((target / published / MANIFEST_NAME).read_text(encoding="utf-8"))
        create_markdown_artifact(
            markdown=manifest_markdown(manifest, target),
            key="counterclaim-publish",
            description=f"counterclaim snapshot {published}",
        )
        return published

    return publish_flow


def __getattr__(name: str) -> Any:
    # PEP 562: `from flows.publish import publish_flow` builds the Prefect flow on
    # first use, so importing this module (as the CLI does) never loads Prefect.
    if name == "publish_flow":
        flow_obj = _build_publish_flow()
        globals()["publish_flow"] = flow_obj
        return flow_obj
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
