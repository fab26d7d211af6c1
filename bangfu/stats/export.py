"""The statistics table as a file (EXCHANGE §8): 区划代码, 区划名称 and every figure, a row per child area
and a last row 合计 for the area itself — for `bangfu stats` and the statistics page's export.

Other apps add columns through `register_columns` (the targets app: `<figure>目标` and `<figure>完成率`
where a target exists for the day's year), so the table is written in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from bangfu.areas.models import Area
from bangfu.exchange.report import write_table
from bangfu.stats import figures
from bangfu.stats.figures import Row

TOTAL = "合计"

# A column provider: given the area, the day, the child rows and the total row, the extra columns as
# [(column name, {area code: value})] (values missing for an area are written empty).
ColumnProvider = Callable[[Area, dt.date, list[Row], Row], Sequence[tuple[str, dict[str, object]]]]
_providers: list[ColumnProvider] = []


def register_columns(provider: ColumnProvider) -> None:
    """Add columns to every statistics table written (call from an AppConfig.ready())."""
    if provider not in _providers:
        _providers.append(provider)


def sheet(area: Area, on: dt.date) -> tuple[list[str], list[list[object]]]:
    """(header, rows) of the §8 table of `area` as of `on`."""
    children, total = figures.table(area, on)
    extra = [column for provider in _providers for column in provider(area, on, children, total)]
    header = ["区划代码", "区划名称", *(f.name for f in figures.FIGURES), *(name for name, _ in extra)]
    lines = []
    for row, code, name in [
        *((r, r.area.code, r.area.name) for r in children),
        (total, total.area.code, TOTAL),
    ]:
        lines.append(
            [
                code,
                name,
                *(row[f.key] for f in figures.FIGURES),
                *(values.get(row.area.code) for _, values in extra),
            ]
        )
    return header, lines


def write(path: str | Path, area: Area, on: dt.date, *, file_format: str | None = None) -> int:
    """Write the table to `path` (.xlsx or .csv by its suffix, or `file_format`); returns the rows written."""
    header, lines = sheet(area, on)
    return write_table(path, header, lines, file_format=file_format)
