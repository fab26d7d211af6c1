"""Progress against targets, always computed, never stored: completion (figure ÷ target, a percentage with
one decimal), the month's schedule (the cumulative monthly target due by the end of the month) and whether
the figure is behind it, and the rank among siblings. Every figure comes from bangfu.stats.figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bangfu.areas.models import Area
from bangfu.targets.models import Target


def completion(actual: int | None, target: int | None) -> Decimal | None:
    """figure ÷ target as a percentage with one decimal (half up); None without a target above 0."""
    if actual is None or not target:
        return None
    return (Decimal(actual) * 100 / Decimal(target)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def schedule_month(year: int, on: dt.date) -> int | None:
    """The month whose cumulative target applies on `on`: its own month within the year, 12 after it, none
    before it."""
    if on.year < year:
        return None
    return 12 if on.year > year else on.month


@dataclass
class Progress:
    area: Area
    figure: str
    actual: int
    target: Target | None = None
    rank: int | None = None  # among the siblings with a target, by completion (then figure, then code)
    previous_rank: int | None = None

    @property
    def value(self) -> int | None:
        return self.target.value if self.target else None

    @property
    def rate(self) -> Decimal | None:
        return completion(self.actual, self.value)

    def scheduled(self, on: dt.date) -> int | None:
        if self.target is None:
            return None
        month = schedule_month(self.target.year, on)
        return None if month is None else self.target.schedule(month)

    def behind(self, on: dt.date) -> int:
        """How far the figure is below the month's schedule (0 when on or ahead of it, or without one)."""
        due = self.scheduled(on)
        return max(due - self.actual, 0) if due is not None else 0


def figure_values(areas: Sequence[Area], on: dt.date) -> dict[str, dict[str, int]]:
    from bangfu.stats.figures import values

    return values(list(areas), on)


def sibling_values(parent: Area, on: dt.date) -> tuple[list[Area], dict[str, dict[str, int]]]:
    """The areas directly below `parent` and their figures, with the parent's own (one count of its subtree:
    bangfu.stats.figures.table)."""
    from bangfu.stats.figures import table

    rows, total = table(parent, on)
    found = {row.area.code: row.values for row in rows}
    found[parent.code] = total.values
    return [row.area for row in rows], found


def progress(
    areas: Sequence[Area],
    year: int,
    on: dt.date,
    figures: Iterable[str] | None = None,
    actual: dict | None = None,
) -> dict:
    """{(area code, figure key): Progress} for the areas and figures (default: those with a target that year),
    ranked among the given areas per figure. `actual`: their figures when already read."""
    areas = list(areas)
    targets = Target.objects.filter(area__in=[a.code for a in areas], year=year)
    by_key = {(t.area_id, t.figure): t for t in targets}
    keys = list(figures) if figures is not None else sorted({f for _, f in by_key})
    actual = actual if actual is not None else figure_values(areas, on)
    result = {}
    for key in keys:
        rows = [
            Progress(a, key, actual.get(a.code, {}).get(key, 0), by_key.get((a.code, key))) for a in areas
        ]
        rank(rows)
        result.update({(p.area.code, key): p for p in rows})
    return result


def rank(rows: Sequence[Progress]) -> None:
    """Rank siblings by completion; areas without a target are not ranked."""
    ranked = sorted((p for p in rows if p.rate is not None), key=lambda p: (-p.rate, -p.actual, p.area.code))
    for position, item in enumerate(ranked, 1):
        item.rank = position


def children_progress(area: Area, year: int, on: dt.date, figures: Iterable[str] | None = None):
    """The areas directly below `area`, with their progress per figure, ranked among themselves; the area's
    own (its 合计, unranked) is in the answer too, under its own code."""
    children, actual = sibling_values(area, on)
    if figures is None:
        figures = sorted(
            set(Target.objects.filter(area__parent=area, year=year).values_list("figure", flat=True))
            | set(Target.objects.filter(area=area, year=year).values_list("figure", flat=True))
        )
    figures = list(figures)
    found = progress(children, year, on, figures, actual)
    own = {t.figure: t for t in Target.objects.filter(area=area, year=year, figure__in=figures)}
    for key in figures:
        found[(area.code, key)] = Progress(area, key, actual.get(area.code, {}).get(key, 0), own.get(key))
    return children, figures, found


def own_progress(area: Area, on: dt.date) -> list[Progress]:
    """The area's own targets of `on`'s year against its figures, with its rank among its siblings."""
    year = on.year
    mine = list(Target.objects.filter(area=area, year=year).order_by("figure"))
    if not mine:
        return []
    keys = [t.figure for t in mine]
    if area.parent_id:
        siblings, actual = sibling_values(area.parent, on)
    else:
        siblings, actual = [area], figure_values([area], on)
    found = progress(siblings, year, on, keys, actual)
    return [found[(area.code, key)] for key in keys]


def stats_columns(area: Area, on: dt.date, children, total) -> list[tuple[str, dict[str, object]]]:
    """`bangfu stats` (EXCHANGE §8): for every figure with a target of `on`'s year for the area or a child,
    `<figure>目标` and `<figure>完成率` (a percentage with one decimal), by area code; the figures are the
    table's own rows (bangfu.stats.export)."""
    from bangfu.stats.figures import FIGURES

    rows = [*children, total]
    codes = [row.area.code for row in rows]
    targets = {(t.area_id, t.figure): t.value for t in Target.objects.filter(area__in=codes, year=on.year)}
    columns = []
    for f in FIGURES:
        if not any((code, f.key) in targets for code in codes):
            continue
        goal = {row.area.code: targets.get((row.area.code, f.key)) for row in rows}
        rate = {row.area.code: completion(row.values[f.key], goal[row.area.code]) for row in rows}
        columns.append((f"{f.name}目标", {code: value for code, value in goal.items() if value is not None}))
        columns.append(
            (f"{f.name}完成率", {code: f"{value}%" for code, value in rate.items() if value is not None})
        )
    return columns
