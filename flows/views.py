"""DuckDB over the Parquet tables: one view per table, then every view in sql/."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from flows.schema import TABLES

# Statements a query may run: reading only, so no query can change the tables.
_READ_ONLY_TYPES = {"SELECT", "EXPLAIN", "PRAGMA", "SHOW", "DESCRIBE", "SUMMARIZE"}


def _quote_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def register_tables(con: duckdb.DuckDBPyConnection, tables_dir: Path) -> None:
    tables_dir = Path(tables_dir).resolve()
    for name in TABLES:
        folder = tables_dir / name
        if not any(folder.glob("*.parquet")):
            raise FileNotFoundError(f"table '{name}' has no Parquet in {folder}; run 'counterclaim run' first")
        # Absolute paths: a view must not depend on the caller's working directory.
        con.execute(
            f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({_quote_path(folder / '*.parquet')})"
        )


def view_files(sql_dir: Path) -> list[Path]:
    return sorted(Path(sql_dir).glob("*.sql"))


def register_sql_views(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> list[str]:
    """Run every view file; a view that needs another not yet made is retried
    after the rest, so file names need not encode the order."""
    pending = view_files(sql_dir)
    done: list[str] = []
    while pending:
        failed: list[tuple[Path, Exception]] = []
        for path in pending:
            try:
                con.execute(path.read_text(encoding="utf-8"))
                done.append(path.stem)
            except duckdb.CatalogException as exc:
                failed.append((path, exc))
        if len(failed) == len(pending):
            names = ", ".join(f"{p.name}: {e}" for p, e in failed)
            raise RuntimeError(f"views could not be created: {names}")
        pending = [p for p, _ in failed]
    return done


def connect(tables_dir: Path, sql_dir: Path | None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    register_tables(con, tables_dir)
    if sql_dir is not None and Path(sql_dir).is_dir():
        register_sql_views(con, sql_dir)
    return con


def statement_types(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [re.sub(r"^StatementType\.", "", str(s.type)) for s in con.extract_statements(sql)]


def _words(query: str) -> set[str]:
    """Keywords and identifiers of one statement, upper-cased, comments and strings skipped."""
    words = set()
    for offset, kind in duckdb.tokenize(query):
        if kind in (duckdb.token_type.keyword, duckdb.token_type.identifier):
            m = re.match(r'"?(\w+)', query[offset:])
            if m:
                words.add(m.group(1).upper())
    return words


def _runs_more(kind: str, query: str) -> str | None:
    """Read-only types that still run something else: EXPLAIN ANALYZE executes the
    statement it explains (a COPY ... TO writes), PRAGMA import_database runs a
    folder's SQL files."""
    words = _words(query)
    if kind == "EXPLAIN" and words & {"ANALYZE", "ANALYSE"}:
        return "EXPLAIN ANALYZE"
    if kind == "PRAGMA" and "IMPORT_DATABASE" in words:
        return "PRAGMA import_database"
    return None


def read_only_query(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyRelation | None:
    """Run ``sql`` only if every statement in it just reads."""
    kinds = statement_types(con, sql)
    bad = [k for k in kinds if k not in _READ_ONLY_TYPES]
    bad += [r for s, k in zip(con.extract_statements(sql), kinds) if (r := _runs_more(k, s.query))]
    if bad:
        raise PermissionError(f"queries are read-only; refusing {', '.join(sorted(set(bad)))} statement")
    statements = con.extract_statements(sql)
    for stmt in statements[:-1]:
        con.execute(stmt)
    return con.sql(statements[-1].query) if statements else None
