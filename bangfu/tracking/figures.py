"""The figures of 三线跟踪: who counts (a queryset of laborers, households or records) and how the table
counts them per sub-area. The stocks as of a day are the statistics' figures (`bangfu/stats/figures.py`,
EXCHANGE §8: the one definition, read as they were that day); the month's flows are defined here. The 三线
table, the lists behind its numbers and its export read them from here.

As of a day D (stocks) and over a month (flows):
- 劳动力: `stats.figures.laborers` (the registry's laborers as they were on D) living in the area.
- A record is in force on D when it started on or before D and did not end before D (`due.in_force_on`).
- 县内 / 省内县外 / 省外 / 未务工: the laborer's 务工状态 on D, derived from the records in force on D as
  EXCHANGE §5 says (`employment/status.py`): the 务工地域 of the latest started record in force that knows
  its place; 务工（地域不详） when every record in force lacks one; 未务工 with none in force.
- 零就业户: households of the area with at least one laborer on D and no member with a record in force.
- 本月新就业 / 本月离职: records of the area's laborers started / ended in the month.
- 本月返乡: laborers whose record ended in the month with 离职原因 返乡, or visited in the month with
  回访结果 返乡.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Substr

from bangfu.areas.models import Area
from bangfu.areas.scope import LEVEL_DIGITS
from bangfu.employment.models import EmploymentRecord, EndReason
from bangfu.stats import figures as stats
from bangfu.tracking.due import in_force_on
from bangfu.tracking.models import Visit, VisitResult

NOT_WORKING = "未务工"
PLACE_UNKNOWN = ""  # in work, 务工地域 unknown


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str  # "people", "households" or "records": what its list shows
    hint: str  # what it counts, in the user's words


FIGURES = {
    f.key: f
    for f in (
        Figure("laborers", "劳动力", "people", "截至统计日的劳动力（劳动年龄内、有劳动能力、在世）"),
        Figure("county", "县内", "people", "统计日有在岗就业记录、务工地域为县内的劳动力"),
        Figure("province", "省内县外", "people", "统计日务工地域为省内县外的劳动力"),
        Figure("outside", "省外", "people", "统计日务工地域为省外的劳动力"),
        Figure("unknown_place", "务工（地域不详）", "people", "统计日在岗但就业记录没有工作地的劳动力"),
        Figure("not_working", "未务工", "people", "统计日没有在岗就业记录的劳动力"),
        Figure("zero_households", "零就业户", "households", "至少有一名劳动力、统计日无人在岗的户"),
        Figure("started", "本月新就业", "records", "入职日期在所选月份的就业记录"),
        Figure("ended", "本月离职", "records", "离职日期在所选月份的就业记录"),
        Figure("returned", "本月返乡", "people", "所选月份离职原因为返乡或回访结果为返乡的劳动力"),
    )
}
# The stocks of the table: the statistics' figure each reads (stats/figures.py).
STOCKS = {"laborers": "laborers", "county": "working_county", "province": "working_province",
          "outside": "working_outside", "not_working": "not_working",
          "zero_households": "zero_employment_households"}  # fmt: skip
# 务工状态 value on D (the `_status` annotation) of each status figure.
STATUS_FIGURES = {"county": "县内", "province": "省内县外", "outside": "省外", "unknown_place": PLACE_UNKNOWN,
                  "not_working": NOT_WORKING}  # fmt: skip


def month_span(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of `month`'s month."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


# --- the definitions --------------------------------------------------------------------------------------


def laborers(area: Area, on: dt.date):
    return stats.laborers(area, on)


def with_status(people, on: dt.date):
    """`people` annotated with `_status`, their 务工状态 on `on` as a 务工地域 (县内 …), "" (in work, place
    unknown) or 未务工, from the records in force that day: one correlated lookup per person on the
    (person, started_on) index, the record that knows its place first, then the latest started."""
    chosen = (
        EmploymentRecord.objects.filter(in_force_on(on), person=OuterRef("pk"))
        .annotate(_unknown=Case(When(place="", then=Value(1)), default=Value(0)))
        .order_by("_unknown", "-started_on", "-id")
        .values("place")[:1]
    )
    return people.annotate(
        _status=Coalesce(
            Subquery(chosen, output_field=CharField()), Value(NOT_WORKING), output_field=CharField()
        )
    )


def zero_households(area: Area, on: dt.date):
    return stats.zero_employment_households(area, on)


def _records_of(area: Area, on: dt.date):
    return EmploymentRecord.objects.filter(person__in=laborers(area, on).values("pk"))


def started(area: Area, on: dt.date, month: dt.date):
    return _records_of(area, on).filter(started_on__range=month_span(month))


def ended(area: Area, on: dt.date, month: dt.date):
    return _records_of(area, on).filter(ended_on__range=month_span(month))


def returned(area: Area, on: dt.date, month: dt.date):
    """The people are found from the month's few events (records ended 返乡, visits 返乡), by primary key,
    instead of asking every laborer."""
    span = month_span(month)
    left = EmploymentRecord.objects.filter(end_reason=EndReason.RETURNED, ended_on__range=span).values(
        "person_id"
    )
    visited = Visit.objects.filter(result=VisitResult.RETURNED, visited_on__range=span).values("person_id")
    return laborers(area, on).filter(Q(pk__in=left) | Q(pk__in=visited))


def subjects(key: str, area: Area, on: dt.date, month: dt.date):
    """Who figure `key` counts in `area`: people, households or records (the list behind a number)."""
    if key == "laborers":
        return laborers(area, on)
    if key in STATUS_FIGURES:
        return with_status(laborers(area, on), on).filter(_status=STATUS_FIGURES[key])
    if key == "zero_households":
        return zero_households(area, on)
    if key == "started":
        return started(area, on, month)
    if key == "ended":
        return ended(area, on, month)
    if key == "returned":
        return returned(area, on, month)
    raise KeyError(key)


# --- counting per sub-area --------------------------------------------------------------------------------


def _grouped(children: list[Area], queryset, code_field: str, *extra: str) -> Counter:
    """{(child code, *extra values): count} in one GROUP BY per child level."""
    counts: Counter = Counter()
    by_level: dict[int, dict[str, str]] = {}
    for child in children:
        by_level.setdefault(child.level, {})[child.short_code] = child.code
    for level, codes in by_level.items():
        rows = (
            queryset.annotate(_prefix=Substr(code_field, 1, LEVEL_DIGITS[level]))
            .values("_prefix", *extra)
            .annotate(_n=Count("pk"))
            .order_by()
            .values_list("_prefix", *extra, "_n")
        )
        for prefix, *values, n in rows:
            if prefix in codes:
                counts[(codes[prefix], *values)] += n
    return counts


@dataclass
class Row:
    area: Area
    values: dict[str, int]

    def __getitem__(self, key: str) -> int:
        return self.values[key]


def table(area: Area, on: dt.date, month: dt.date) -> tuple[list[Row], Row]:
    """The 三线 table: a row per direct sub-area of `area` (or `area` itself when it has none) and the
    total. The stocks are the statistics' figures of the day; the flows three GROUP BY queries per child
    level, whatever the number of people."""
    children = stats.children_of(area) or [area]
    stocks = stats.totals(on, area, children)
    counts = {
        "started": _grouped(children, started(area, on, month), "person__area_id"),
        "ended": _grouped(children, ended(area, on, month), "person__area_id"),
        "returned": _grouped(children, returned(area, on, month), "area_id"),
    }
    rows = []
    for child in children:
        values = {key: stocks[child.code][figure] for key, figure in STOCKS.items()}
        values["unknown_place"] = stocks[child.code]["working"] - sum(
            stocks[child.code][figure] for figure in stats.PLACE_FIGURES.values()
        )
        values.update({key: counter[(child.code,)] for key, counter in counts.items()})
        rows.append(Row(child, {key: values[key] for key in FIGURES}))
    total = Row(area, {key: sum(r.values[key] for r in rows) for key in FIGURES})
    return rows, total


def columns(rows: Iterable[Row]) -> list[Figure]:
    """The figures a table shows: all, but 务工（地域不详） only where someone is counted in it."""
    rows = list(rows)
    return [f for f in FIGURES.values() if f.key != "unknown_place" or any(r["unknown_place"] for r in rows)]
