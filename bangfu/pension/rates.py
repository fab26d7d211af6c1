"""The three 社保扶贫 rates of an area and its child areas against the 社保扶贫目标 rule in force for each
(the counting is bangfu.stats.figures': one definition per rate)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.pension.models import RateTargetRule
from bangfu.stats import figures


@dataclass(frozen=True)
class Cell:
    base: int
    count: int
    target: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        """The rate in percent with one decimal; None when nobody is in the base."""
        if not self.base:
            return None
        return (Decimal(self.count) * 100 / Decimal(self.base)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def missing(self) -> int:
        return self.base - self.count

    @property
    def met(self) -> bool | None:
        if self.target is None or self.rate is None:
            return None
        return Decimal(self.count) * 100 >= self.target * self.base


@dataclass
class Row:
    area: Area
    cells: dict[str, Cell]

    def __getitem__(self, key: str) -> Cell:
        return self.cells[key]

    @property
    def ordered(self) -> list[tuple[figures.Rate, Cell]]:
        return [(r, self.cells[r.key]) for r in figures.INSURANCE_RATES]


def table(area: Area, on: dt.date | None = None) -> tuple[list[Row], Row]:
    on = on or timezone.localdate()
    children = figures.children_of(area)
    found = figures.insurance_totals(area, on, [*children, area])
    book = RateTargetRule.objects.book(on, within=area)

    def row(each: Area) -> Row:
        rule = book.for_code(each.code)
        values = found[each.code]
        return Row(
            each,
            {
                r.key: Cell(values[f"{r.key}_base"], values[r.key], rule.target(r.key) if rule else None)
                for r in figures.INSURANCE_RATES
            },
        )

    return [row(child) for child in children], row(area)


def sheet(area: Area, on: dt.date | None = None) -> tuple[list[str], list[list]]:
    """The rates as a file: one row per child area and 合计, each rate with its base, count and target."""
    rows, total = table(area, on)
    header = ["区划代码", "区划名称"]
    for r in figures.INSURANCE_RATES:
        header += [f"{r.name}{r.base_name}", f"{r.name}{r.count_name}", r.name, f"{r.name}目标"]
    body = []
    for row in [*rows, total]:
        line = [row.area.code, row.area.name if row is not total else f"{row.area.name}合计"]
        for _, cell in row.ordered:
            line += [
                cell.base,
                cell.count,
                f"{cell.rate}%" if cell.rate is not None else "",
                f"{cell.target}%" if cell.target is not None else "",
            ]
        body.append(line)
    return header, body
