"""Atomic, deterministic Parquet writes and reads, cast to the schema module."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.schema import SORT_KEYS, TABLES


@dataclass(frozen=True)
class TableRef:
    """What a task hands on instead of the data itself."""

    name: str
    path: str
    rows: int
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a hidden temporary file beside ``path``, then rename over it.

    The temporary name never ends in ``.parquet``, so a glob in a view cannot
    see a half-written file, and a killed writer leaves only a stray temp file.
    The result is world-readable (mkstemp makes owner-only files), so a web
    server running as another user can serve published copies.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=1) + "\n")


def to_arrow(name: str, rows: Iterable[Mapping[str, Any]] | pa.Table) -> pa.Table:
    """Cast rows to the table's schema and sort them by its key."""
    schema = TABLES[name]
    if isinstance(rows, pa.Table):
        table = rows.select(schema.names).cast(schema)
    else:
        rows = list(rows)
        table = pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema=schema)
    if table.num_rows:
        table = table.sort_by([(k, "ascending") for k in SORT_KEYS[name]])
    return table


def write_parquet(table: pa.Table, path: Path) -> None:
    sink = pa.BufferOutputStream()
    # Fixed options and no wall-clock metadata: the same rows give the same bytes.
    pq.write_table(
        table,
        sink,
        compression="zstd",
        compression_level=3,
        use_dictionary=True,
        write_statistics=True,
        row_group_size=100_000,
    )
    atomic_write_bytes(path, sink.getvalue().to_pybytes())


def write_table(tables_dir: Path, name: str, rows: Iterable[Mapping[str, Any]] | pa.Table) -> TableRef:
    """Replace table ``name`` with ``rows`` as one Parquet part, atomically."""
    table = to_arrow(name, rows)
    folder = Path(tables_dir) / name
    path = folder / f"{name}.parquet"
    write_parquet(table, path)
    # A table is one part after a full write: drop parts an earlier layout left.
    for other in folder.glob("*.parquet"):
        if other != path:
            other.unlink()
    return TableRef(name=name, path=str(path), rows=table.num_rows, sha256=file_sha256(path))


def read_table(
    tables_dir: Path, name: str, columns: list[str] | None = None, doc_ids: Iterable[str] | None = None
) -> pa.Table:
    """The table's parts as one Arrow table; optionally only some columns, and only
    the rows of some documents (pushed down to the Parquet reader)."""
    folder = Path(tables_dir) / name
    parts = sorted(folder.glob("*.parquet"))
    schema = TABLES[name]
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    if not parts:
        return schema.empty_table()
    filters = None
    if doc_ids is not None:
        filters = pc.field("doc_id").isin(pa.array(sorted(set(doc_ids)), type=pa.string()))
    return pa.concat_tables(
        [pq.read_table(p, schema=TABLES[name], columns=columns, filters=filters).cast(schema) for p in parts]
    )


def read_rows(tables_dir: Path, name: str) -> list[dict[str, Any]]:
    return read_table(tables_dir, name).to_pylist()
