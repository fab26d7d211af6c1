"""Months of work in a year, as SQL (*engine* of 就业补贴): the table of the year's calendar months up to a
day, which a program joins with the records it counts — a month counts when one of its days lies inside a
record, the definition of 务工时间(月) in employment/status.py."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import connection

RECORDS = "employment_employmentrecord"


def day_sql(value: dt.date) -> tuple[str, str]:
    return ("%s::date" if connection.vendor == "postgresql" else "%s"), value.isoformat()


def months_table(year: int, upto: dt.date) -> tuple[str, list]:
    """A table expression (n, first_day, last_day) of the months of `year` up to `upto`."""
    rows, params = [], []
    last_month = 12 if upto.year > year else upto.month
    for month in range(1, last_month + 1):
        first = dt.date(year, month, 1)
        last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), upto)
        lo, lo_value = day_sql(first)
        hi, hi_value = day_sql(last)
        rows.append(f"SELECT {month} AS n, {lo} AS first_day, {hi} AS last_day")
        params += [lo_value, hi_value]
    if not rows:
        return "SELECT 0 AS n, NULL AS first_day, NULL AS last_day WHERE 1 = 0", []
    return " UNION ALL ".join(rows), params
