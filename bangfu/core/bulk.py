"""Fast inserts of plain rows for imports: COPY on PostgreSQL, executemany on SQLite.

Django's bulk_create builds SQL per object and spends far more time there than the database spends
inserting; imports of a million rows insert tuples here instead. No model instances, no signals: callers
pass complete, already validated rows and write their own history and audit.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from django.db import connection


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (values in `fields` order; foreign keys as ids) into `model`'s table."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    table = quote(meta.db_table)
    count = 0
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    # Per column, from the field's type: most columns go to the driver as they are.
    adapters = [(i, a) for i, name in enumerate(fields) if (a := _adapter(meta.get_field(name))) is not None]
    batch: list[Sequence] = []
    with connection.cursor() as cursor:
        for row in rows:
            if adapters:
                row = list(row)
                for i, adapt in adapters:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
            batch.append(row)
            if len(batch) >= 10000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def insert_frame(model, frame, constants: dict | None = None) -> int:
    """Insert every row of a polars frame whose columns are `model` field names (foreign keys as ids),
    plus `constants` (field → one value for every row, such as a timestamp). Rows go to the database
    without a Python object per value: PostgreSQL gets them as CSV through COPY, SQLite as tuples the
    driver binds in C."""
    import polars as pl

    constants = constants or {}
    if frame.is_empty():
        return 0
    meta = model._meta
    quote = connection.ops.quote_name
    names = [*frame.columns, *constants]
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    table = quote(meta.db_table)
    if connection.vendor == "postgresql":
        values = {
            name: pl.lit(str(value) if value is not None else None) for name, value in constants.items()
        }
        data = frame.with_columns(**values) if values else frame
        with connection.cursor() as cursor:
            for part in data.iter_slices(100_000):
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                    copy.write(
                        part.write_csv(include_header=False, datetime_format="%Y-%m-%dT%H:%M:%S%.f%:z")
                    )
        return frame.height
    adapted = {}
    for name, value in constants.items():
        adapt = _adapter(meta.get_field(name))
        adapted[name] = pl.lit(adapt(value) if adapt and value is not None else value)
    data = frame.with_columns(
        **{
            name: pl.col(name).cast(pl.String)
            for name, dtype in frame.schema.items()
            if dtype == pl.Date or isinstance(dtype, pl.Decimal)
        },
        **adapted,
    )
    placeholders = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for part in data.iter_slices(20_000):
            cursor.executemany(sql, part.iter_rows())
    return frame.height


def update_frame(model, frame, constants: dict | None = None) -> int:
    """Set, by primary key, the fields of `model` named by the columns of a polars frame (its `id` column
    the keys; foreign keys as ids), plus `constants` on every row (such as `updated_at`): the frame goes to
    a temporary table as insert_frame sends rows, then one `UPDATE … FROM` writes them all."""
    if frame.is_empty():
        return 0
    meta = model._meta
    quote = connection.ops.quote_name
    temp = f"{meta.db_table}_update"
    names = [name for name in frame.columns if name != "id"]
    fields = {name: meta.get_field(name) for name in names}
    declared = ", ".join(
        ["id bigint", *(f"{quote(field.column)} {field.db_type(connection)}" for field in fields.values())]
    )
    suffix = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} ({declared}){suffix}")
    load_temporary(temp, frame.select("id", *names), ["id", *(f.column for f in fields.values())])
    assignments = [f"{quote(field.column)} = s.{quote(field.column)}" for field in fields.values()]
    params = []
    for name, value in (constants or {}).items():
        field = meta.get_field(name)
        adapt = _adapter(field) if connection.vendor == "sqlite" else None
        assignments.append(f"{quote(field.column)} = %s")
        params.append(adapt(value) if adapt and value is not None else value)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {', '.join(assignments)} FROM {temp} s WHERE {table}.id = s.id", params
        )
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
    return frame.height


def load_temporary(table: str, frame, columns: Sequence[str] | None = None) -> None:
    """Every row of a polars frame into a temporary `table` already created, as insert_frame sends rows:
    CSV through COPY on PostgreSQL, tuples bound in C on SQLite. `columns`: the table's columns in the
    frame's order (default: the frame's column names)."""
    import polars as pl

    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in (columns or frame.columns))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for part in frame.iter_slices(100_000):
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy:
                    copy.write(part.write_csv(include_header=False))
            return
        data = frame.with_columns(
            pl.col(name).cast(pl.String)
            for name, dtype in frame.schema.items()
            if dtype == pl.Date or isinstance(dtype, pl.Decimal)
        )
        placeholders = ", ".join(["%s"] * frame.width)
        for part in data.iter_slices(20_000):
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", part.iter_rows())


def _adapter(field):
    """How SQLite wants a field's values, or None when the driver takes them as they are."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _remember_last(
            connection.ops.adapt_datetimefield_value
        )  # imports stamp one "now" on every row
    if kind == "DateField":
        return date.isoformat
    if kind == "DecimalField":
        return str
    return None


def _remember_last(function):
    last = [object(), None]

    def adapt(value):
        if value is not last[0]:
            last[0], last[1] = value, function(value)
        return last[1]

    return adapt


def select_by_keys(
    model, key: str, keys: Sequence, fields: Sequence[str], *, where: str = "", params=(), as_text=()
) -> list:
    """Rows (tuples of `fields`, raw database values) whose `key` is in `keys`, with one plain
    `IN (...)` query per 5,000 keys: Django's per-value lookup preparation is the slow part at scale.
    Only for text, integer and boolean columns, whose raw values are what the ORM would give; the fields
    named in `as_text` (dates) come as ISO text, for a frame to parse column-wise (SQLite's converters
    would make a Python object of each value, a microsecond apiece)."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"CAST({quote(meta.get_field(name).column)} AS TEXT)"
        if name in as_text
        else quote(meta.get_field(name).column)
        for name in fields
    )
    key_column = quote(meta.get_field(key).column)
    table = quote(meta.db_table)
    # Sorted, so that each statement reads one stretch of the key's index, not pages all over it.
    keys = sorted(keys)
    found: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 5000):
            part = keys[start : start + 5000]
            if connection.vendor == "postgresql":  # one array literal: 5,000 placeholders parse slowly
                condition, values = f"{key_column} = ANY(%s::{_array_type(part)})", [_array_literal(part)]
            else:
                condition, values = f"{key_column} IN ({', '.join(['%s'] * len(part))})", part
            if where and connection.vendor == "sqlite":
                # The keys must drive the lookup: given `area_id BETWEEN …` over a whole province, SQLite
                # chose the area index and scanned every row of it once per 5,000 keys (1 s against 0.05 s
                # at a million people); a materialized CTE makes it look the keys up first.
                sql = (
                    f"WITH found AS MATERIALIZED (SELECT * FROM {table} WHERE {condition})"
                    f" SELECT {columns} FROM found WHERE ({where})"
                )
            else:
                sql = f"SELECT {columns} FROM {table} WHERE {condition}" + (
                    f" AND ({where})" if where else ""
                )
            cursor.execute(sql, [*values, *params])
            found.extend(cursor.fetchall())
    return found


def _array_type(keys: Sequence) -> str:
    return "bigint[]" if isinstance(keys[0], int) and not isinstance(keys[0], bool) else "text[]"


def _array_literal(keys: Sequence) -> str:
    """A PostgreSQL array literal, written here in one join: psycopg's list adapter examines every
    element in Python, which at a million keys took seconds."""
    if _array_type(keys) == "bigint[]":
        return "{" + ",".join(map(str, map(int, keys))) + "}"
    return "{" + ",".join(['"' + k.replace("\\", "\\\\").replace('"', '\\"') + '"' for k in keys]) + "}"


def refresh_statistics(*models) -> None:
    """Let the query planner see a large import at once (sampled, a second or two), rather than after
    the next autovacuum (PostgreSQL) or never (SQLite keeps no statistics until asked)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def secondary_indexes(model) -> list[tuple[str, str]]:
    """(name, definition) of `model`'s indexes that are neither its primary key nor a unique constraint."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
                " JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass"
                " AND NOT x.indisunique AND NOT x.indisprimary ORDER BY 1",
                [connection.ops.quote_name(table)],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY 1",
                [table],
            )
        return cursor.fetchall()


def foreign_keys(model) -> list[tuple[str, str]]:
    """(name, definition) of the foreign-key constraints on `model`'s table (PostgreSQL only: SQLite's
    key checks are plain lookups, cheap enough row by row)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY 1",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        return cursor.fetchall()


@contextmanager
def roomy_cache() -> Iterator[None]:
    """SQLite: a page cache of BANGFU_SQLITE_BULK_CACHE_MB for the block (a large import), the
    connection's own again after it. Pages read while checking a million rows are still in memory when
    they are written, and a transaction's changed pages stay in memory instead of spilling early (at a
    million rows the employment import took 56 s with the usual 256 MB, 43 s with 1 GB). The memory is
    taken as pages are read and given back when the block ends. Nothing on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    from django.conf import settings

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (usual,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(settings.BANGFU_SQLITE_BULK_CACHE_MB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(usual)}")


@contextmanager
def indexes_built_after(model) -> Iterator[None]:
    """Inside a transaction: drop `model`'s secondary indexes (and, on PostgreSQL, its foreign-key
    constraints), and build each again, once, when the block ends. For a first load into an empty table
    a sorted index build, and a key check by one join, are several times cheaper than keeping every
    index up to date and checking every key row by row (PostgreSQL's "Populating a Database" advice).
    Both databases change their schema transactionally: if the block fails, the rollback restores the
    indexes with the data. On PostgreSQL the table is locked against readers until the commit, so this
    is only for a table nobody is using yet."""
    assert connection.in_atomic_block, "indexes_built_after() needs a transaction"
    indexes, keys = secondary_indexes(model), foreign_keys(model)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for name, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
