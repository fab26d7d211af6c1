"""The targets file (EXCHANGE §8): `bangfu import targets FILE --area CODE` and 导入目标 on the pages, in two
phases — read and check every row (the area inside the importing area, no key twice, splits that cover their
parent), then save the valid ones in one transaction (a failure saves nothing). A target is identified by
(年度, 区划代码, 指标): importing the same row again changes nothing, a changed value updates it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.background import reap, runner_id
from bangfu.core.files import shown_names
from bangfu.exchange.errors import error_list
from bangfu.exchange.report import CellError, RowProblem, write_error_report
from bangfu.exchange.spreadsheet import SpreadsheetError, open_sheet
from bangfu.targets import rows
from bangfu.targets.actions import figure_name, figure_names, save_target_rows
from bangfu.targets.models import ImportStatus, Target, TargetImport


@dataclass
class Validation:
    header: list[str]
    total_rows: int = 0
    checked: list[tuple[rows.TargetRow, Area]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def validate_targets_file(path: Path, area: Area) -> Validation:
    """Phase one: read and check every row, writing nothing. SpreadsheetError when the file is unusable."""
    sheet = open_sheet(path, rows.COLUMNS)
    validation = Validation(header=sheet.header)
    names = figure_names()
    cleaned: list[tuple[rows.TargetRow, object]] = []
    for row in sheet.rows():
        validation.total_rows += 1
        record, errors = rows.clean_target_row(row.cells, figures=names)
        if record is None:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
        else:
            cleaned.append((record, row))
    validation.warnings = list(sheet.warnings)
    areas = Area.objects.in_bulk({record.area_code for record, _ in cleaned})
    place = area.full_name or area.name
    seen: dict[tuple, int] = {}
    placed: list[tuple[rows.TargetRow, object, Area]] = []
    for record, row in cleaned:
        found = areas.get(record.area_code)
        error = None
        if found is None:
            error = CellError(rows.AREA, record.area_code, "没有这个区划代码")
        elif not area.contains(found):
            error = CellError(
                rows.AREA, record.area_code, f"不在导入区域（{place}）内：只能为本区域及下级区域设定目标"
            )
        elif record.key in seen:
            error = CellError(None, None, f"与第 {seen[record.key]} 行是同一目标（年度、区划代码、指标相同）")
        if error:
            validation.problems.append(RowProblem(row.number, row.raw, [error]))
            continue
        seen[record.key] = row.number
        placed.append((record, row, found))
    placed = _check_splits(placed, validation)
    validation.checked = [(record, found) for record, _, found in placed]
    return validation


def _check_splits(placed, validation: Validation):
    """Refuse the rows that would leave an area's children short of its target, until none does (refusing a
    row can make another split short: its stored value, or none, then counts instead)."""
    while True:
        by_parent: dict[tuple, list] = defaultdict(list)
        for item in placed:
            record, _, found = item
            if found.parent_id:
                by_parent[(record.year, found.parent_id, record.figure)].append(item)
        if not by_parent:
            return placed
        in_file = {record.key: record.value for record, _, _ in placed}
        stored = dict(
            ((y, p, f), v)
            for y, p, f, v in Target.objects.filter(
                area_id__in={k[1] for k in by_parent}, year__in={k[0] for k in by_parent}
            ).values_list("year", "area_id", "figure", "value")
        )
        siblings = defaultdict(dict)
        for y, parent, f, code, v in Target.objects.filter(
            area__parent_id__in={k[1] for k in by_parent}, year__in={k[0] for k in by_parent}
        ).values_list("year", "area__parent_id", "figure", "area_id", "value"):
            siblings[(y, parent, f)][code] = v
        refused = set()
        for key, items in by_parent.items():
            year, parent, figure = key
            parent_value = in_file.get((year, parent, figure), stored.get(key))
            if parent_value is None:
                continue
            children = dict(siblings.get(key, {}))
            children.update({found.code: record.value for record, _, found in items})
            total = sum(children.values())
            if total >= parent_value:
                continue
            parent_area = Area.objects.get(code=parent)
            message = rows.shortfall_message(parent_area.name, figure_name(figure), year, parent_value, total)
            for record, row, _ in items:
                validation.problems.append(
                    RowProblem(row.number, row.raw, [CellError(rows.VALUE, record.value, message)])
                )
                refused.add(row.number)
        if not refused:
            return placed
        placed = [item for item in placed if item[1].number not in refused]


def create_target_import(
    *, area: Area, user, path: Path | None = None, upload=None, name: str = ""
) -> TargetImport:
    """Keep the file with the batch, so what was imported can always be looked at again."""
    batch = TargetImport(area=area, user=user if getattr(user, "pk", None) else None)
    if upload is not None:
        batch.original_name = name or upload.name
        batch.file.save(Path(batch.original_name).name, upload, save=False)
    else:
        batch.original_name = name or path.name
        with open(path, "rb") as fh:
            batch.file.save(path.name, ContentFile(fh.read()), save=False)
    batch.save()
    audit(Action.IMPORT, actor=user, obj=batch, message=f"提交目标导入：{batch.original_name}")
    return batch


def run_target_import(batch: TargetImport, *, report_path: Path | None = None) -> TargetImport:
    """Both phases for one batch; a failure leaves nothing saved (phase two is one transaction)."""
    batch.runner = runner_id()
    TargetImport.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, runner=batch.runner)
    try:
        return _run(batch, report_path=report_path)
    except Exception as exc:
        if TargetImport.objects.filter(pk=batch.pk, status=ImportStatus.RUNNING).exists():
            _finish(batch, status=ImportStatus.FAILED, message=f"导入出错，未保存任何目标：{exc}")
        raise


def reap_target_imports(queryset) -> int:
    return reap(
        queryset,
        running=ImportStatus.RUNNING,
        stopped=ImportStatus.STOPPED,
        message=TargetImport.stopped_message,
    )


def _run(batch: TargetImport, *, report_path) -> TargetImport:
    try:
        validation = validate_targets_file(Path(batch.file.path), batch.area)
    except SpreadsheetError as exc:
        return _finish(batch, status=ImportStatus.FAILED, message=shown_names(exc.message, batch))
    batch.total_rows = validation.total_rows
    batch.valid_rows = len(validation.checked)
    batch.error_rows = batch.total_rows - batch.valid_rows
    batch.errors = error_list(validation.problems)
    if validation.problems:
        _write_report(batch, validation, report_path)
    counts = save_target_rows(batch.user, batch.area, validation.checked)
    batch.created, batch.updated, batch.unchanged = counts.created, counts.updated, counts.unchanged
    summary = (
        f"共 {batch.total_rows} 行：有效 {batch.valid_rows}，错误 {batch.error_rows}；"
        f"新增目标 {counts.created}、更新 {counts.updated}、未变化 {counts.unchanged}"
    )
    return _finish(batch, status=ImportStatus.DONE, message="；".join([summary, *validation.warnings]))


def _write_report(batch: TargetImport, validation: Validation, report_path: Path | None) -> None:
    target = Path(report_path) if report_path else Path(batch.file.path).with_suffix(".errors.xlsx")
    write_error_report(target, validation.header, validation.problems)
    name = target.name if report_path else batch.report_filename
    with open(target, "rb") as fh:
        batch.report.save(name, ContentFile(fh.read()), save=False)
    if report_path is None:
        target.unlink()


@transaction.atomic
def _finish(batch: TargetImport, *, status: str, message: str) -> TargetImport:
    batch.status, batch.message, batch.finished_at = status, message, timezone.now()
    batch.save()
    prefix = "目标导入完成：" if status == ImportStatus.DONE else "目标导入失败："
    audit(Action.IMPORT, actor=batch.user, obj=batch, message=prefix + message)
    return batch
