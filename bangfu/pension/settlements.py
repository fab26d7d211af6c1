"""医疗负担: settlements (医保结算) kept from `medical-settlement` comparison runs, each person's personal
burden over a year against the 医疗负担预警 rule of their area, and the file for the poverty department.

A finished run's rows matched exactly by ID (results.csv: 精确匹配) are read with their cells from the
run's rows file and kept as `Settlement`s of the person (a settlement sent again is kept once); rows
matched only fuzzily wait for staff to confirm them in the comparison and are not kept. Yearly burdens are
one GROUP BY over the year's settlements of the area; the rule of each person's area is looked up once per
territory the rules tell apart.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from bangfu.areas.models import Area
from bangfu.pension.models import BurdenRule, Settlement
from bangfu.registry.models import Person

EXACT = "精确匹配"
AMOUNTS = {"总费用": "total", "基本医保支付": "basic", "大病保险支付": "major", "医疗救助支付": "assistance",
           "个人负担": "personal"}  # fmt: skip
HEADER = ["证件号码", "姓名", "所在村", "年度", "结算次数", "总费用", "基本医保支付", "大病保险支付",
          "医疗救助支付", "个人负担", "预警线"]  # fmt: skip


def _linked(run) -> dict[int, str]:
    """{source row: matched ID number} of the rows matched exactly, from the run's results.csv."""
    found = {}
    with run.results.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    for row in csv.DictReader(text.splitlines()):
        if row.get("匹配结果") == EXACT and row.get("匹配证件号码"):
            found[int(row["源行号"])] = row["匹配证件号码"]
    return found


def _cells(run, rows: set[int]) -> dict[int, dict]:
    import polars as pl

    with run.rows.open("rb") as handle:
        frame = pl.read_parquet(handle)
    frame = frame.filter(pl.col("row_no").is_in(sorted(rows)))
    return {row["row_no"]: row for row in frame.iter_rows(named=True)}


def _money(value) -> Decimal:
    text = (value or "").replace(",", "").strip()
    return Decimal(text) if text else Decimal("0")


def load(run) -> int:
    """Keep the settlements of a finished `medical-settlement` run; returns how many are new."""
    linked = _linked(run)
    if not linked or not run.rows:
        return 0
    cells = _cells(run, set(linked))
    people = {
        p.id_number: p
        for p in Person.objects.filter(id_number__in=set(linked.values())).only("id", "id_number", "area_id")
    }
    made = []
    for row_no, id_number in linked.items():
        person, row = people.get(id_number), cells.get(row_no)
        if person is None or row is None or not row.get("结算日期"):
            continue
        values = {field: _money(row.get(column)) for column, field in AMOUNTS.items()}
        made.append(
            Settlement(
                person_id=person.id, area_id=person.area_id, run=run, row_no=row_no,
                settled_on=dt.date.fromisoformat(row["结算日期"]), care_kind=row.get("医疗类别") or "",
                hospital_level=row.get("医院等级") or "", **values,
            )
        )  # fmt: skip
    before = Settlement.objects.count()
    Settlement.objects.bulk_create(made, batch_size=2000, ignore_conflicts=True)
    return Settlement.objects.count() - before


@dataclass
class Burden:
    person: Person
    settlements: int
    total: Decimal
    basic: Decimal
    major: Decimal
    assistance: Decimal
    personal: Decimal
    line: Decimal | None  # the rule's 年度个人负担预警线 for the person's area, None without one

    @property
    def heavy(self) -> bool:
        return self.line is not None and self.personal > self.line


def burdens(area: Area, year: int, *, heavy_only: bool = True) -> list[Burden]:
    """Each person of `area` with settlements in `year`, their sums, and whether they pass the rule's line
    (heavy first, then by burden)."""
    sums = (
        Settlement.objects.for_area(area)
        .filter(settled_on__year=year)
        .values("person_id")
        .annotate(
            n=Count("id"),
            total=Sum("total"),
            basic=Sum("basic"),
            major=Sum("major"),
            assistance=Sum("assistance"),
            personal=Sum("personal"),
        )
        .order_by()
    )
    rows = list(sums)
    people = Person.objects.select_related("area").in_bulk([r["person_id"] for r in rows])
    book = BurdenRule.objects.book(dt.date(year, 12, 31), within=area)
    lines: dict[str, Decimal | None] = {}
    found = []
    for r in rows:
        person = people[r["person_id"]]
        if person.area_id not in lines:
            rule = book.for_code(person.area_id)
            lines[person.area_id] = rule.yearly_personal if rule else None
        burden = Burden(
            person, r["n"], r["total"], r["basic"], r["major"], r["assistance"], r["personal"],
            lines[person.area_id],
        )  # fmt: skip
        if burden.heavy or not heavy_only:
            found.append(burden)
    found.sort(key=lambda b: (not b.heavy, -b.personal, b.person.pk))
    return found


def write(area: Area, year: int, path, *, masked: bool = False) -> int:
    from bangfu.core.idnumber import mask_id
    from bangfu.exchange.report import write_table

    def rows():
        for b in burdens(area, year):
            person = b.person
            shown = mask_id(person.id_number) if masked else person.id_number
            money = [f"{v:.2f}" for v in (b.total, b.basic, b.major, b.assistance, b.personal)]
            yield [shown, person.name, person.area.name, year, b.settlements, *money, f"{b.line:.2f}"]

    return write_table(path, HEADER, rows())
