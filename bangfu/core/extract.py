"""Reading many rows out of the app's database fast, into DuckDB (the reverse of `core.bulk`).

The ORM writes the query (the area scope lives there); rows then go straight to a DuckDB table, without
a model object, or a Python object per value: PostgreSQL sends them with COPY (a CSV file in a work
folder that DuckDB reads), SQLite one JSON array per row that SQLite builds itself (`json_array`, NULLs
kept), a batch of them one Arrow text column that DuckDB takes apart and casts to the table's types.
At 4 million people the per-value conversion in Django alone took minutes; the JSON arrays took SQLite's
extraction into DuckDB from 24 s to 14 s (docs/benchmarks.md, 数据比对). Used by 数据比对 (the registry)
and 人岗匹配 (laborers and jobs).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
from django.db import connection

BATCH = 100_000


def into_duckdb(con, queryset, columns: Sequence[tuple[str, str]], table: str, folder: Path | None = None):
    """Append the rows of `queryset` (a `values_list` whose fields are in the order of `columns`) to the
    existing DuckDB table `table`, into its columns named by `columns` ((name, DuckDB type) pairs).
    `folder` holds PostgreSQL's CSV while DuckDB reads it (a temporary folder when None)."""
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        if folder is None:
            with tempfile.TemporaryDirectory(prefix="bangfu-extract-") as scratch:
                _by_copy(con, sql, params, columns, table, Path(scratch))
        else:
            _by_copy(con, sql, params, columns, table, folder)
    else:
        _from_sqlite(con, sql, params, columns, table)


def arrow_table(queryset, columns: Sequence[tuple[str, str]]) -> pa.Table:
    """The rows of `queryset` as an Arrow table with `columns` ((name, DuckDB type) pairs, in the order
    of the `values_list`'s fields), by way of an in-memory DuckDB."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE rows ({', '.join(f'{name} {kind}' for name, kind in columns)})")
        into_duckdb(con, queryset, columns, "rows")
        return con.sql("SELECT * FROM rows").to_arrow_table()
    finally:
        con.close()


def _by_copy(con, sql: str, params, columns, table: str, folder: Path) -> None:
    described = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns) + "}"
    target = folder / f"{table}.csv"
    with (
        connection.cursor() as cursor,
        open(target, "wb") as out,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy,
    ):
        for block in copy:
            out.write(block)
    # PostgreSQL writes NULL as an empty field and an empty text as "": keep them apart.
    con.execute(
        f"""INSERT INTO {table} ({", ".join(name for name, _ in columns)}) SELECT * FROM read_csv('{target}',
        header = false, delim = ',', quote = '"', escape = '"', columns = {described},
        allow_quoted_nulls = false, auto_detect = false)"""
    )
    target.unlink()


def _from_sqlite(con, sql: str, params, columns, table: str) -> None:
    names = ", ".join(f"c{i}" for i in range(len(columns)))
    values = ", ".join(f"CAST(a[{i + 1}] AS {kind}) AS {name}" for i, (name, kind) in enumerate(columns))
    into = f"{table} ({', '.join(name for name, _ in columns)})"
    with connection.cursor() as cursor:
        cursor.execute(f"WITH q ({names}) AS ({sql}) SELECT json_array({names}) FROM q", params)
        while rows := cursor.fetchmany(BATCH):
            batch = pa.table({"j": pa.array([row[0] for row in rows], pa.string())})
            con.register("extract_batch", batch)
            con.execute(
                f"""INSERT INTO {into} SELECT {values}
                FROM (SELECT from_json(j, '["VARCHAR"]') AS a FROM extract_batch)"""
            )
            con.unregister("extract_batch")
