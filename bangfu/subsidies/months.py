"""Months of work in a year, as SQL (*engine* of 就业补贴): the calendar months of the year, up to a day,
with at least one day inside one of a person's (or a person's at one employer) employment records — the
definition of 务工时间(月) in employment/status.py, restricted to the records a program counts."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import connection

RECORDS = "employment_employmentrecord"


def _day(value: dt.date) -> tuple[str, str]:
    return ("%s::date" if connection.vendor == "postgresql" else "%s"), value.isoformat()


def months_table(year: int, upto: dt.date) -> tuple[str, list]:
    """A table expression (n, first_day, last_day) of the months of `year` up to `upto`."""
    rows, params = [], []
    last_month = 12 if upto.year > year else upto.month
    for month in range(1, last_month + 1):
        first = dt.date(year, month, 1)
        last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), upto)
        lo, lo_value = _day(first)
        hi, hi_value = _day(last)
        rows.append(f"SELECT {month} AS n, {lo} AS first_day, {hi} AS last_day")
        params += [lo_value, hi_value]
    if not rows:
        return "SELECT 0 AS n, NULL AS first_day, NULL AS last_day WHERE 1 = 0", []
    return " UNION ALL ".join(rows), params


def worked_months_sql(year: int, upto: dt.date, *, person: str, where: str = "", where_params=()) -> tuple:
    """A correlated scalar subquery: the months of `year` (up to `upto`) in which the person whose id is the
    SQL expression `person` had a record in force, of the records meeting `where` (on alias r)."""
    months, params = months_table(year, upto)
    condition = f" AND {where}" if where else ""
    sql = (
        f"(SELECT COUNT(DISTINCT m.n) FROM {RECORDS} r JOIN ({months}) m"
        " ON m.last_day >= r.started_on AND (r.ended_on IS NULL OR m.first_day <= r.ended_on)"
        f" WHERE r.person_id = {person}{condition})"
    )
    return sql, [*params, *where_params]
