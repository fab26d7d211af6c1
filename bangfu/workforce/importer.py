"""Phase one of an employer's workforce file (用工人员 or 月工资参保): read and check every row against the
rows themselves and what this employer reported before, writing nothing. The checks never look at the
registry, so a file's result reads the same whoever is in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.exchange.report import CellError, RowProblem
from bangfu.exchange.spreadsheet import open_sheet
from bangfu.workforce import rows as cells
from bangfu.workforce.actions import overlap_message, overlapping
from bangfu.workforce.models import Hire

HIRES, WAGES = "hires", "wages"
KINDS = {HIRES: "用工人员（入职、离职）", WAGES: "月工资参保"}


@dataclass
class Validation:
    kind: str
    header: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total_rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    rows: list = field(default_factory=list)  # HireRow, or (Hire, WageRow)

    @property
    def error_rows(self) -> int:
        return len({p.row_number for p in self.problems})


def validate(kind: str, path: Path, employer, *, today: dt.date | None = None) -> Validation:
    """SpreadsheetError when the file cannot be used at all."""
    today = today or timezone.localdate()
    if kind == HIRES:
        return _hires(path, employer, today)
    return _wages(path, employer, today)


def _row_error(message: str) -> list[CellError]:
    return [CellError(None, None, message)]


def _hires(path: Path, employer, today: dt.date) -> Validation:
    sheet = open_sheet(path, cells.HIRE_COLUMNS)
    validation = Validation(HIRES, header=sheet.header)
    good: list[tuple[cells.HireRow, object]] = []
    seen: dict[tuple, int] = {}
    for row in sheet.rows():
        validation.total_rows += 1
        record, errors = cells.clean_hire_row(row.cells, today=today)
        if record is not None and record.key in seen:
            errors, record = _row_error(f"与第 {seen[record.key]} 行的证件号码和入职日期重复"), None
        if record is None:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
            continue
        seen[record.key] = row.number
        good.append((record, row))
    validation.warnings = list(sheet.warnings)

    codes = {r.work_area_code for r, _ in good if r.work_area_code}
    known = set(Area.objects.filter(code__in=codes, is_current=True).values_list("code", flat=True))
    stored: dict[str, list[Hire]] = {}
    for hire in Hire.objects.filter(employer=employer, id_number__in={r.id_number for r, _ in good}):
        stored.setdefault(hire.id_number, []).append(hire)
    final: dict[str, dict[dt.date, object]] = {}  # per person, the spells once the file is in
    keys = {(h.id_number, h.started_on) for hires in stored.values() for h in hires}
    # Known spells first (a departure in the file makes room for a hire after it), then by 入职日期.
    good.sort(key=lambda pair: (pair[0].key not in keys, pair[0].started_on, pair[1].number))
    for record, row in good:
        errors: list[CellError] = []
        if record.work_area_code and record.work_area_code not in known:
            errors.append(CellError(cells.WORK_AREA, row.cells.get(cells.WORK_AREA), "没有这个区划代码"))
        before = next(
            (h for h in stored.get(record.id_number, ()) if h.started_on == record.started_on), None
        )
        if before is not None:
            if before.name != record.name:
                errors.append(
                    CellError(cells.NAME, row.cells.get(cells.NAME), f"与此前报送的姓名（{before.name}）不同")
                )
            if before.ended_on is not None and (before.ended_on, before.end_reason) != (
                record.ended_on,
                record.end_reason,
            ):
                errors.append(
                    CellError(
                        cells.ENDED,
                        row.cells.get(cells.ENDED),
                        f"已报送离职（{before.ended_on:%Y-%m-%d}，{before.end_reason}），不能更改或撤销",
                    )
                )
        if errors:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
            continue
        spells = final.setdefault(
            record.id_number, {h.started_on: h for h in stored.get(record.id_number, ())}
        )
        ended_on = record.ended_on or (before.ended_on if before else None)
        others = [s for day, s in spells.items() if day != record.started_on]
        other = overlapping(others, record.started_on, ended_on)
        if other is not None:
            validation.problems.append(RowProblem(row.number, row.raw, _row_error(overlap_message(other))))
            continue
        spells[record.started_on] = record if record.ended_on or before is None else before
        validation.rows.append(record)
    validation.problems.sort(key=lambda p: p.row_number)
    return validation


def _wages(path: Path, employer, today: dt.date) -> Validation:
    sheet = open_sheet(path, cells.WAGE_COLUMNS)
    validation = Validation(WAGES, header=sheet.header)
    good = []
    seen: dict[tuple, int] = {}
    for row in sheet.rows():
        validation.total_rows += 1
        record, errors = cells.clean_wage_row(row.cells, today=today)
        if record is not None and record.key in seen:
            errors, record = _row_error(f"与第 {seen[record.key]} 行的证件号码和年月重复"), None
        if record is None:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
            continue
        seen[record.key] = row.number
        good.append((record, row))
    validation.warnings = list(sheet.warnings)

    spells: dict[str, list[Hire]] = {}
    for hire in Hire.objects.filter(employer=employer, id_number__in={r.id_number for r, _ in good}):
        spells.setdefault(hire.id_number, []).append(hire)
    for record, row in good:
        last_day = cells.month_end(record.month)
        during = [
            h
            for h in spells.get(record.id_number, ())
            if h.started_on <= last_day and (h.ended_on is None or h.ended_on >= record.month)
        ]
        if not during:
            message = f"本单位没有此人 {record.month:%Y-%m} 在职的入职报送，请先报送入职"
            validation.problems.append(RowProblem(row.number, row.raw, _row_error(message)))
            continue
        hire = max(during, key=lambda h: h.started_on)
        if hire.name != record.name:
            message = f"与入职报送的姓名（{hire.name}）不同"
            validation.problems.append(
                RowProblem(row.number, row.raw, [CellError(cells.NAME, row.cells.get(cells.NAME), message)])
            )
            continue
        validation.rows.append((hire, record))
    validation.problems.sort(key=lambda p: p.row_number)
    return validation
