"""The annual report (年度报告): an area's figures against targets per child area for a year, dated, with the
deadline for handing it in read from the 调度与年报 rule in force (15 December nationally). The page shows
it (with ECharts), and `bangfu report annual` writes it as .xlsx or .pdf (dispatch/bulletin.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bangfu.areas.models import Area
from bangfu.dispatch.bulletin import Sheet
from bangfu.dispatch.models import DispatchRule
from bangfu.targets.progress import children_progress, completion


@dataclass
class Annual:
    area: Area
    year: int
    on: dt.date  # the figures' date: the year's last day, or today within the year
    made_on: dt.date
    deadline: dt.date | None
    figures: list[str]
    names: dict[str, str]
    children: list[Area]
    found: dict  # (code, key) → targets.progress.Progress
    total: dict[str, int]
    own: dict  # key → Target of the area itself

    def rows(self) -> list[dict]:
        result = []
        for child in self.children:
            cells = []
            for key in self.figures:
                p = self.found[(child.code, key)]
                cells.append(
                    {"key": key, "actual": p.actual, "target": p.value, "rate": p.rate, "rank": p.rank}
                )
            result.append({"area": child, "cells": cells})
        return result

    def total_cells(self) -> list[dict]:
        cells = []
        for key in self.figures:
            target = self.own.get(key)
            value = target.value if target else None
            cells.append(
                {
                    "key": key,
                    "actual": self.total[key],
                    "target": value,
                    "rate": completion(self.total[key], value),
                }
            )
        return cells

    def chart(self) -> dict:
        """For ECharts and the PDF: per figure, the children's figures and targets."""
        return {
            "names": [c.name for c in self.children],
            "series": [
                {
                    "name": self.names[key],
                    "actual": [self.found[(c.code, key)].actual for c in self.children],
                    "target": [self.found[(c.code, key)].value or 0 for c in self.children],
                }
                for key in self.figures
            ],
        }


def annual(area: Area, year: int, *, today: dt.date) -> Annual:
    from bangfu.dispatch.actions import default_figures
    from bangfu.stats.figures import figure

    on = min(today, dt.date(year, 12, 31))
    children, keys, found = children_progress(area, year, on, default_figures(area, year))
    rule = DispatchRule.objects.in_force(area.code, on)
    return Annual(
        area=area, year=year, on=on, made_on=today, deadline=rule.annual_deadline(year) if rule else None,
        figures=keys, names={k: figure(k).name for k in keys}, children=children, found=found,
        total={k: found[(area.code, k)].actual for k in keys},
        own={k: found[(area.code, k)].target for k in keys if found[(area.code, k)].target},
    )  # fmt: skip


def annual_sheet(report: Annual) -> Sheet:
    header = ["区域"]
    for key in report.figures:
        name = report.names[key]
        header += [name, f"{name}目标", f"{name}完成率", f"{name}排名"]
    rows = []
    for row in report.rows():
        line: list[object] = [row["area"].name]
        for c in row["cells"]:
            line += [c["actual"], _dash(c["target"]), _rate(c["rate"]), _dash(c["rank"])]
        rows.append(line)
    line = ["合计"]
    for c in report.total_cells():
        line += [c["actual"], _dash(c["target"]), _rate(c["rate"]), ""]
    rows.append(line)
    first = report.figures[0]
    lines = [
        f"统计截至 {report.on:%Y年%m月%d日}，生成于 {report.made_on:%Y年%m月%d日}。",
        f"报送截止：{report.deadline:%Y年%m月%d日}。" if report.deadline else "报送截止：未设定。",
    ]
    return Sheet(
        title=f"{report.area.name}{report.year}年就业帮扶年度报告",
        lines=lines,
        header=header,
        rows=rows,
        chart_title=f"{report.names[first]}：各地完成情况",
        chart=[(c.name, report.found[(c.code, first)].actual) for c in report.children],
        notes=["指标由系统根据名册和就业记录自动统计；完成率 = 指标值 ÷ 年度目标。"],
    )


def _dash(value) -> object:
    return "—" if value is None else value


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"
