"""The follow-up visits file (EXCHANGE §6): `bangfu import followups FILE --area CODE` and 导入回访 on the
pages, in two phases — read and check every row, then save the valid ones in one transaction (a failure
saves nothing) with their outcomes applied as the form applies them (tracking.actions.apply_outcomes).

A visit is identified by (证件号码, 回访日期, 回访方式): a row already imported with the same result and note
changes nothing, so a file can be imported again without duplicates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import batched
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
from bangfu.registry.models import Person
from bangfu.tracking import rows as visit_rows
from bangfu.tracking import signals
from bangfu.tracking.actions import apply_outcomes
from bangfu.tracking.models import ImportStatus, Visit, VisitImport, VisitSource

CHUNK = 1000  # ID numbers or people per query


@dataclass
class Checked:
    row: visit_rows.VisitRow
    person: Person


@dataclass
class Validation:
    header: list[str]
    total_rows: int = 0
    checked: list[Checked] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    records_ended: int = 0
    flagged: int = 0
    cleared: int = 0
    unrecorded_work: int = 0


def _people(area: Area, id_numbers: set[str]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for chunk in batched(sorted(id_numbers), CHUNK):
        people = Person.objects.for_area(area).filter(id_number__in=chunk)
        found.update(
            (p.id_number, p)
            for p in people.only("id", "id_number", "name", "area_id", "is_deceased", "died_on")
        )
    return found


def validate_visits_file(path: Path, area: Area, *, today: dt.date | None = None) -> Validation:
    """Phase one: read and check every row, writing nothing. SpreadsheetError when the file is unusable."""
    today = today or timezone.localdate()
    sheet = open_sheet(path, visit_rows.COLUMNS)
    validation = Validation(header=sheet.header, warnings=list(sheet.warnings))
    cleaned = []
    for row in sheet.rows():
        validation.total_rows += 1
        record, errors = visit_rows.clean_visit_row(row.cells, today=today)
        if record is None:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
        else:
            cleaned.append((record, row))
    validation.warnings += [w for w in sheet.warnings if w not in validation.warnings]
    people = _people(area, {record.id_number for record, _ in cleaned})
    place = area.full_name or area.name
    seen: dict[tuple, int] = {}
    for record, row in cleaned:
        person = people.get(record.id_number)
        errors = []
        if person is None:
            errors.append(
                CellError(visit_rows.ID, record.id_number, f"导入区域（{place}）的名册中没有此证件号码")
            )
        elif person.name != record.name:
            errors.append(CellError(visit_rows.NAME, record.name, f"与名册登记的姓名（{person.name}）不一致"))
        elif person.is_deceased and person.died_on and record.visited_on > person.died_on:
            errors.append(
                CellError(visit_rows.DAY, record.visited_on, f"该人员已于 {person.died_on:%Y-%m-%d} 去世")
            )
        elif record.key in seen:
            errors.append(
                CellError(
                    None, None, f"与第 {seen[record.key]} 行是同一次回访（证件号码、回访日期、回访方式相同）"
                )
            )
        if errors:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
            continue
        seen[record.key] = row.number
        validation.checked.append(Checked(record, person))
    return validation


@transaction.atomic
def save_visits(checked: list[Checked], *, actor, check_scope: bool) -> Counts:
    """Phase two: the checked rows as visits, created or updated by their key, and their outcomes."""
    counts = Counts()
    by = actor if getattr(actor, "pk", None) else None
    existing: dict[tuple, Visit] = {}
    for chunk in batched(sorted({c.person.pk for c in checked}), CHUNK):
        for visit in Visit.objects.select_for_update().filter(person_id__in=chunk):
            existing[(visit.person_id, visit.visited_on, visit.method)] = visit
    to_create, to_update = [], []
    for item in checked:
        r, person = item.row, item.person
        visit = existing.get((person.pk, r.visited_on, r.method))
        if visit is None:
            visit = Visit(
                person=person, area_id=person.area_id, visited_on=r.visited_on, method=r.method,
                result=r.result, note=r.note, source=VisitSource.IMPORT, by=by,
            )  # fmt: skip
            to_create.append(visit)
        elif visit.result == r.result and visit.note == r.note:
            counts.unchanged += 1
        else:
            visit.person = person
            visit.result, visit.note, visit.source, visit.by = r.result, r.note, VisitSource.IMPORT, by
            visit.updated_at = timezone.now()
            to_update.append(visit)
    Visit.objects.bulk_create(to_create, batch_size=CHUNK)
    Visit.objects.bulk_update(to_update, ["result", "note", "source", "by", "updated_at"], batch_size=CHUNK)
    counts.created, counts.updated = len(to_create), len(to_update)
    changed = to_create + to_update
    if changed and any(v.pk is None for v in to_create):  # a backend that returns no ids on bulk insert
        keys = {(v.person_id, v.visited_on, v.method) for v in to_create}
        saved = {
            (v.person_id, v.visited_on, v.method): v
            for v in Visit.objects.filter(person_id__in={k[0] for k in keys})
            if (v.person_id, v.visited_on, v.method) in keys
        }
        changed = [saved[(v.person_id, v.visited_on, v.method)] for v in to_create] + to_update
    effects = apply_outcomes(actor, changed, check_scope=check_scope)
    for effect in effects.values():
        counts.records_ended += len(effect.ended)
        counts.flagged += effect.flagged is not None
        counts.cleared += effect.cleared is not None
        counts.unrecorded_work += effect.unrecorded_work
    person_ids = sorted({v.person_id for v in changed})
    if person_ids:
        transaction.on_commit(lambda: signals.visits_recorded.send(sender=Visit, person_ids=person_ids))
    return counts


# --------------------------------------------------------------------------------------------------
# Batches


def create_visit_import(
    *, area: Area, user, path: Path | None = None, upload=None, name: str = ""
) -> VisitImport:
    """Keep the file with the batch, so what was imported can always be looked at again."""
    batch = VisitImport(area=area, user=user if getattr(user, "pk", None) else None)
    if upload is not None:
        batch.original_name = name or upload.name
        batch.file.save(Path(batch.original_name).name, upload, save=False)
    else:
        batch.original_name = name or path.name
        with open(path, "rb") as fh:
            batch.file.save(path.name, ContentFile(fh.read()), save=False)
    batch.save()
    audit(Action.IMPORT, actor=user, obj=batch, message=f"提交跟踪回访导入：{batch.original_name}")
    return batch


def run_visit_import(
    batch: VisitImport, *, today: dt.date | None = None, report_path: Path | None = None
) -> VisitImport:
    """Both phases for one batch; a failure leaves nothing saved (phase two is one transaction)."""
    batch.runner = runner_id()
    VisitImport.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, runner=batch.runner)
    try:
        return _run(batch, today=today, report_path=report_path)
    except Exception as exc:  # whatever broke, the batch must not stay 处理中 in a process that lives on
        if VisitImport.objects.filter(pk=batch.pk, status=ImportStatus.RUNNING).exists():
            _finish(batch, status=ImportStatus.FAILED, message=f"导入出错，未保存任何回访：{exc}")
        raise


def reap_visit_imports(queryset) -> int:
    """Mark 中断 the batches of `queryset` left 处理中 by a process that is gone (core.background)."""
    return reap(
        queryset,
        running=ImportStatus.RUNNING,
        stopped=ImportStatus.STOPPED,
        message=VisitImport.stopped_message,
    )


@transaction.atomic
def resume_visit_import(actor, batch: VisitImport) -> VisitImport:
    """Submit an interrupted import again (nothing of it was saved: one transaction)."""
    from django.core.exceptions import ValidationError

    reap_visit_imports(VisitImport.objects.filter(pk=batch.pk))
    batch = VisitImport.objects.select_for_update().get(pk=batch.pk)
    if not batch.resumable:
        raise ValidationError("只有中断的导入可以重新提交；其他情况请改正文件后重新上传。")
    batch.status, batch.finished_at, batch.runner, batch.message = (
        ImportStatus.PENDING,
        None,
        "",
        "已重新提交。",
    )
    batch.save(update_fields=["status", "finished_at", "runner", "message"])
    audit(Action.IMPORT, actor=actor, obj=batch, message=f"重新提交跟踪回访导入：{batch.original_name}")
    return batch


def _run(batch: VisitImport, *, today, report_path) -> VisitImport:
    try:
        validation = validate_visits_file(Path(batch.file.path), batch.area, today=today)
    except SpreadsheetError as exc:
        return _finish(batch, status=ImportStatus.FAILED, message=shown_names(exc.message, batch))
    batch.total_rows = validation.total_rows
    batch.valid_rows = len(validation.checked)
    batch.error_rows = batch.total_rows - batch.valid_rows
    batch.errors = error_list(validation.problems)
    if validation.problems:
        _write_report(batch, validation, report_path)
    # From the command line the rights are the area's (every person was found within it), not a user's.
    counts = save_visits(validation.checked, actor=batch.user, check_scope=batch.user is not None)
    for name, value in counts.__dict__.items():
        setattr(batch, name, value)
    summary = (
        f"共 {batch.total_rows} 行：有效 {batch.valid_rows}，错误 {batch.error_rows}；"
        f"新增回访 {counts.created}、更新 {counts.updated}、未变化 {counts.unchanged}；"
        f"结束就业记录 {counts.records_ended} 条，列入联系不上 {counts.flagged} 人，移出 {counts.cleared} 人"
    )
    notes = [summary, *validation.warnings]
    if counts.unrecorded_work:
        notes.append(
            f"{counts.unrecorded_work} 次回访结果为在岗，但当天没有在岗的就业记录：请在人员页面登记就业记录"
            "（单位、工作地），回访本身不生成就业记录"
        )
    return _finish(batch, status=ImportStatus.DONE, message="；".join(notes))


def _write_report(batch: VisitImport, validation: Validation, report_path: Path | None) -> None:
    target = Path(report_path) if report_path else Path(batch.file.path).with_suffix(".errors.xlsx")
    write_error_report(target, validation.header, validation.problems)
    name = target.name if report_path else batch.report_filename
    with open(target, "rb") as fh:
        batch.report.save(name, ContentFile(fh.read()), save=False)
    if report_path is None:
        target.unlink()


@transaction.atomic
def _finish(batch: VisitImport, *, status: str, message: str) -> VisitImport:
    batch.status, batch.message, batch.finished_at = status, message, timezone.now()
    batch.save()
    prefix = "跟踪回访导入完成：" if status == ImportStatus.DONE else "跟踪回访导入失败："
    audit(Action.IMPORT, actor=batch.user, obj=batch, message=prefix + message)
    return batch
