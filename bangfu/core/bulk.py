"""Fast inserts of plain rows for imports: COPY on PostgreSQL, executemany on SQLite.

Django's bulk_create builds SQL per object and spends far more time there than the database spends
inserting; imports of a million rows insert tuples here instead. No model instances, no signals: callers
pass complete, already validated rows and write their own history and audit.
"""

from collections.abc import Iterable, Sequence
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
    model, key: str, keys: Sequence, fields: Sequence[str], *, where: str = "", params=()
) -> list:
    """Rows (tuples of `fields`, raw database values) whose `key` is in `keys`, with one plain
    `IN (...)` query per 5,000 keys: Django's per-value lookup preparation is the slow part at scale.
    Only for text, integer and boolean columns, whose raw values are what the ORM would give."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    key_column = quote(meta.get_field(key).column)
    table = quote(meta.db_table)
    keys = list(keys)
    found: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 5000):
            part = keys[start : start + 5000]
            if (
                connection.vendor == "postgresql"
            ):  # one array parameter: psycopg parses 5,000 placeholders slowly
                condition, values = f"{key_column} = ANY(%s)", [part]
            else:
                condition, values = f"{key_column} IN ({', '.join(['%s'] * len(part))})", part
            sql = f"SELECT {columns} FROM {table} WHERE {condition}" + (f" AND ({where})" if where else "")
            cursor.execute(sql, [*values, *params])
            found.extend(cursor.fetchall())
    return found


def refresh_statistics(*models) -> None:
    """Let the query planner see a large import at once (sampled, a second or two), rather than after
    the next autovacuum (PostgreSQL) or never (SQLite keeps no statistics until asked)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
