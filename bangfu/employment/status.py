"""务工状态 and 务工时间(月) derived from employment records (EXCHANGE §5): one definition, in plain Python
for one person's records, in SQL for many people at once, and as a polars frame for the records an import
holds in memory (tests hold the three equal).

- A record is *in force* on a day D when it started on or before D and has not ended before D
  (离职日期 is the last day of work: a record ending on D is still in force on D).
- 务工状态 on D is the 务工地域 of the record in force that day, as the registry spells it (县内务工,
  省内县外务工, 省外务工); of several in force, the latest started (then the latest entered). A record
  in force whose 务工地域 is unknown yields only when none in force has one, and then the status is
  empty (in work, place unknown: neither a place nor 未务工). No record in force: 未务工.
- 务工时间(月) on D counts the calendar months of D's year, January to D's month, with at least one day
  (on or before D) inside a record.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

NOT_WORKING = "未务工"
# 务工地域 (EmploymentRecord.place) → 务工状态 (registry/vocab.py EMPLOYMENT_STATUSES).
STATUS_OF_PLACE = {"县内": "县内务工", "省内县外": "省内县外务工", "省外": "省外务工"}
PLACE_OF_STATUS = {status: place for place, status in STATUS_OF_PLACE.items()}


def place_between(home_code: str, work_code: str) -> str:
    """务工地域 (县内 / 省内县外 / 省外) of work at `work_code` (6- to 12-digit area code) for a person of
    village `home_code`; empty when the work place is not known."""
    if not work_code:
        return ""
    if work_code[:6] == home_code[:6]:
        return "县内"
    if work_code[:2] == home_code[:2]:
        return "省内县外"
    return "省外"


@dataclass(frozen=True)
class Spell:
    """What the derivation reads of one record."""

    started_on: dt.date
    ended_on: dt.date | None
    place: str = ""
    id: int = 0  # breaks ties between records started the same day: the one entered later wins

    def in_force(self, on: dt.date) -> bool:
        return self.started_on <= on and (self.ended_on is None or self.ended_on >= on)

    @classmethod
    def of(cls, record) -> Spell:
        return cls(record.started_on, record.ended_on, record.place or "", record.pk or 0)


def status_on(spells: Iterable[Spell], on: dt.date) -> str:
    current = [s for s in spells if s.in_force(on)]
    if not current:
        return NOT_WORKING
    latest = max(current, key=lambda s: (s.place != "", s.started_on, s.id))
    return STATUS_OF_PLACE.get(latest.place, "")


def months_on(spells: Iterable[Spell], on: dt.date) -> int:
    months = set()
    for spell in spells:
        start = max(spell.started_on, dt.date(on.year, 1, 1))
        end = min(spell.ended_on or on, on)
        if start <= end:
            months.update(range(start.month, end.month + 1))
    return len(months)


def derive(spells: Iterable[Spell], on: dt.date) -> tuple[str, int]:
    """(务工状态, 务工时间(月)) on `on` from one person's records."""
    spells = list(spells)
    return status_on(spells, on), months_on(spells, on)


# --------------------------------------------------------------------------------------------------
# The same, set-based: one SQL statement over the records of many people (SQLite and PostgreSQL).

RECORDS = "employment_employmentrecord"
# Of a person's records in force, the one the status is read from comes first (see the module docstring).
CHOSEN_ORDER = "CASE WHEN r.place = '' THEN 0 ELSE 1 END DESC, r.started_on DESC, r.id DESC"
PEOPLE = "registry_person"


def date_param(value: dt.date) -> tuple[str, str]:
    """A date parameter as both databases compare it with a date column: (placeholder, value)."""
    return ("%s::date" if connection.vendor == "postgresql" else "%s"), value.isoformat()


def months_table(year: int, upto: dt.date) -> tuple[str, list]:
    """A table expression (n, first_day, last_day) of the calendar months of `year` up to the day `upto`
    (the last month cut at `upto`): a month counts for 务工时间(月) when one of these days lies inside a
    record. Programs that count months of work (subsidies) join the same table."""
    rows, params = [], []
    last_month = 12 if upto.year > year else upto.month
    for month in range(1, last_month + 1):
        first = dt.date(year, month, 1)
        last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), upto)
        lo, lo_value = date_param(first)
        hi, hi_value = date_param(last)
        rows.append(f"SELECT {month} AS n, {lo} AS first_day, {hi} AS last_day")
        params += [lo_value, hi_value]
    if not rows:
        return "SELECT 0 AS n, NULL AS first_day, NULL AS last_day WHERE 1 = 0", []
    return " UNION ALL ".join(rows), params


def derived_ctes(
    on: dt.date, people: str | None, people_params: Sequence = (), *, count_months: bool = True
) -> tuple[str, list, str]:
    """The common table expressions behind `derived_sql`, for a statement to put at its top: `cur`
    (person_id, place: the record the status is read from, people in work on `on` only) and `worked`
    (person_id, months: people with a record this year), restricted to the people `people` selects (in
    `chosen`) or, when None, every record read once. Returns (SQL of the expressions, their parameters,
    the SQL expression of 务工状态 over `cur`, NULL when not in work). See `derived_sql`."""
    day, day_value = date_param(on)
    months, month_params = months_table(on.year, on)
    year_start, year_value = date_param(dt.date(on.year, 1, 1))
    status = (
        "CASE cur.place "
        + " ".join(f"WHEN '{place}' THEN '{status}'" for place, status in STATUS_OF_PLACE.items())
        + " WHEN '' THEN '' END"
    )
    months_join = (
        "JOIN months m ON m.last_day >= r.started_on AND (r.ended_on IS NULL OR m.first_day <= r.ended_on)"
    )
    sql = f"""
        {f"chosen AS ({people})," if people is not None else ""}
        months AS ({months}),
        cur AS (
            SELECT person_id, place FROM (
                SELECT r.person_id, r.place, ROW_NUMBER() OVER (
                    PARTITION BY r.person_id
                    ORDER BY {CHOSEN_ORDER}
                ) AS rn
                FROM {RECORDS} r {"" if people is None else "JOIN chosen c ON c.id = r.person_id"}
                WHERE r.started_on <= {day} AND (r.ended_on IS NULL OR r.ended_on >= {day})
            ) ranked WHERE rn = 1
        ),
        worked AS (
            SELECT r.person_id, {"COUNT(DISTINCT m.n)" if count_months else "1"} AS months
            FROM {"" if people is None else "chosen c CROSS JOIN"} {RECORDS} r
            {months_join if count_months else ""}
            WHERE {"1 = 1" if people is None else "r.person_id = c.id"}
              AND r.started_on <= {day} AND (r.ended_on IS NULL OR r.ended_on >= {year_start})
            GROUP BY r.person_id
        )"""
    params = [*(people_params if people is not None else ()), *month_params, day_value, day_value]
    params += [day_value, year_value]
    return sql, params, f"CASE WHEN cur.person_id IS NULL THEN '{NOT_WORKING}' ELSE {status} END"


def derived_sql(
    on: dt.date, people: str, people_params: Sequence = (), *, count_months: bool = True
) -> tuple[str, list]:
    """SQL selecting (person_id, status, months) for the people `people` selects (a query or table
    expression with an `id` column, its parameters `people_params`), as of `on`. With
    `count_months=False`, months is 1 for anyone with a month worked this year and 0 otherwise: what the
    figures need (年内务工), without counting the distinct months (nine tenths of the time at a province).

    The month count joins each record clipped to [1 January, on] with the months it touches (at most
    12 rows per record) and counts distinct months per person; the status is the first record in force
    by (place known, started_on, id) descending, by a window function. Both read the records of the
    chosen people by the (person, started_on) index: for the month count SQLite otherwise chose to scan
    every record in person order (to group without sorting), which made an import's refresh of a million
    people, 50,000 at a time, scan the whole table twenty times (`CROSS JOIN` fixes SQLite's join order;
    PostgreSQL plans it as any inner join)."""
    ctes, params, status = derived_ctes(on, people, people_params, count_months=count_months)
    sql = f"""
        WITH {ctes}
        SELECT c.id AS person_id, {status} AS status, COALESCE(worked.months, 0) AS months
        FROM chosen c
        LEFT JOIN cur ON cur.person_id = c.id
        LEFT JOIN worked ON worked.person_id = c.id
    """
    return sql, params


def people_sql(*, person_ids: Sequence[int] | None = None, within=None) -> tuple[str, list]:
    """A `SELECT id FROM registry_person …` for derived_sql: the given ids, or everyone whose village is
    inside area `within` (an Area), or both."""
    conditions, params = [], []
    if person_ids is not None:
        if connection.vendor == "postgresql":
            conditions.append("id = ANY(%s::bigint[])")
            params.append("{" + ",".join(str(int(i)) for i in person_ids) + "}")
        else:  # integers, written into the statement: SQLite allows 32,766 parameters only
            conditions.append(f"id IN ({', '.join(str(int(i)) for i in person_ids) or 'NULL'})")
    if within is not None:
        conditions.append("area_id BETWEEN %s AND %s")
        params += list(within.code_range)
    where = " AND ".join(conditions) or "1 = 1"
    return f"SELECT id FROM {PEOPLE} WHERE {where}", params


def derived_rows(
    on: dt.date, *, person_ids: Sequence[int] | None = None, within=None
) -> list[tuple[int, str, int]]:
    """(person_id, 务工状态, 务工时间(月)) as of `on` for the given people, from their records, in one
    query (callers chunk very long id lists)."""
    people, people_params = people_sql(person_ids=person_ids, within=within)
    sql, params = derived_sql(on, people, people_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --------------------------------------------------------------------------------------------------
# The same over a frame of records already in memory (an import of a million rows has read them).


def derived_frame(records, on: dt.date):
    """(person_id, status, months) as of `on` for every person of `records`, a polars frame with columns
    person_id, id, started_on, ended_on (dates; ended_on null while open) and place — the same values
    derived_sql gives from the stored records. `id` orders records started the same day, as the database's
    ids do (a record entered later has a larger one)."""
    import polars as pl

    year_start = dt.date(on.year, 1, 1)
    frame = records.lazy()
    open_on = pl.col("ended_on").is_null() | (pl.col("ended_on") >= on)
    current = (
        frame.filter((pl.col("started_on") <= on) & open_on)
        .with_columns((pl.col("place") != "").alias("known"))
        .sort(["person_id", "known", "started_on", "id"], descending=[False, True, True, True])
        .unique("person_id", keep="first", maintain_order=True)
        .select(
            "person_id",
            pl.col("place")
            .replace_strict(STATUS_OF_PLACE, default="", return_dtype=pl.String)
            .alias("status"),
        )
    )
    spans = frame.filter(
        (pl.col("started_on") <= on) & (pl.col("ended_on").is_null() | (pl.col("ended_on") >= year_start))
    ).select(
        "person_id",
        pl.max_horizontal("started_on", pl.lit(year_start)).dt.month().alias("first"),
        pl.min_horizontal(pl.col("ended_on").fill_null(on), pl.lit(on)).dt.month().alias("last"),
    )
    months = (
        spans.filter(pl.col("first") <= pl.col("last"))
        .select("person_id", pl.int_ranges("first", pl.col("last") + 1, dtype=pl.Int8).alias("month"))
        .explode("month")
        .unique()
        .group_by("person_id")
        .agg(pl.len().cast(pl.Int64).alias("months"))
    )
    people = frame.select("person_id").unique()
    return (
        people.join(current, on="person_id", how="left")
        .join(months, on="person_id", how="left")
        .select(
            "person_id",
            pl.col("status").fill_null(NOT_WORKING),
            pl.col("months").fill_null(0),
        )
        .collect()
    )
