"""Providers' enrolment rosters (EXCHANGE §13): `bangfu import training FILE --area CODE` and 导入 on the
pages, in two phases — read and check every row (the course must be one of the importing area's, the
trainee a person of its registry, the course not over its 计划人数), then save the valid rows in one
transaction, set-based: new enrolments in one bulk insert, changed ones in one bulk update, one audit event.

An enrolment is identified by (班级编号 within the county, 证件号码): importing the same roster again
changes nothing; a later roster updates attendance, result and certificate. A 结业 or 退学 enrolment is
never turned back to 在训 by a roster (the row is refused)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import batched
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.audit import batches as audited
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core import batches
from bangfu.core.batches import ImportStatus
from bangfu.core.files import shown_names
from bangfu.exchange.errors import error_list
from bangfu.exchange.report import CellError, RowProblem
from bangfu.exchange.spreadsheet import SpreadsheetError, open_sheet
from bangfu.registry.models import Person
from bangfu.training import rows
from bangfu.training.models import Course, Enrolment, EnrolmentSource, EnrolmentStatus, RosterImport

FIELDS = (
    "status",
    "days_attended",
    "completed_on",
    "certificate_kind",
    "certificate_number",
    "certificate_on",
)


@dataclass
class Validation:
    header: list[str]
    total_rows: int = 0
    checked: list[tuple[rows.RosterRow, object, Course, int]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _refuse(validation: Validation, row, column, value, reason: str) -> None:
    validation.problems.append(RowProblem(row.number, row.raw, [CellError(column, value, reason)]))


def _people(area: Area, numbers: set[str]) -> dict[str, tuple[int, str, str, bool]]:
    found = {}
    for chunk in batched(sorted(numbers), 2000):
        for pk, number, name, code, dead in (
            Person.objects.for_area(area)
            .filter(id_number__in=chunk)
            .values_list("pk", "id_number", "name", "area_id", "is_deceased")
        ):
            found[number] = (pk, name, code, dead)
    return found


def validate(path: Path, area: Area) -> Validation:
    """Phase one: every row checked, nothing written. SpreadsheetError when the file is unusable."""
    sheet = open_sheet(path, rows.COLUMNS)
    validation = Validation(header=sheet.header)
    today = timezone.localdate()
    cleaned = []
    for row in sheet.rows():
        validation.total_rows += 1
        record, errors = rows.clean_row(row.cells, today=today, row_number=row.number)
        if record is None:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
        else:
            cleaned.append((record, row))
    validation.warnings = list(sheet.warnings)
    place = area.full_name or area.name
    courses = {
        c.number: c for c in Course.objects.for_area(area).filter(number__in={r.course for r, _ in cleaned})
    }
    people = _people(area, {r.id_number for r, _ in cleaned})
    stored = {
        (e["course_id"], e["person_id"]): e
        for e in Enrolment.objects.filter(course__in=list(courses.values())).values(
            "course_id", "person_id", "pk", *FIELDS
        )
    }
    taken = dict(
        Enrolment.objects.filter(course__in=list(courses.values()))
        .exclude(status=EnrolmentStatus.DROPPED)
        .values("course_id")
        .annotate(n=Count("pk"))
        .values_list("course_id", "n")
        .order_by()
    )
    seen: dict[tuple[str, str], int] = {}
    for record, row in cleaned:
        course = courses.get(record.course)
        if course is None:
            _refuse(
                validation,
                row,
                rows.COURSE,
                record.course,
                f"导入区域（{place}）没有此班级编号，请先在平台开设培训班",
            )
            continue
        person = people.get(record.id_number)
        if person is None:
            _refuse(validation, row, rows.ID, record.id_number, f"导入区域（{place}）的名册中没有此证件号码")
            continue
        pk, name, _, dead = person
        if name != record.name:
            _refuse(validation, row, rows.NAME, record.name, f"与名册中的姓名（{name}）不一致")
            continue
        key = (record.course, record.id_number)
        if key in seen:
            _refuse(validation, row, None, None, f"与第 {seen[key]} 行重复（班级编号、证件号码相同）")
            continue
        if record.days_attended is not None and record.days_attended > course.days:
            _refuse(
                validation, row, rows.DAYS, record.days_attended, f"不能多于该班培训天数（{course.days} 天）"
            )
            continue
        if record.completed_on and record.completed_on < course.starts_on:
            _refuse(
                validation,
                row,
                rows.COMPLETED,
                record.completed_on,
                f"不能早于开班日期（{course.starts_on}）",
            )
            continue
        old = stored.get((course.pk, pk))
        if old is None:
            if dead:
                _refuse(validation, row, rows.ID, record.id_number, "名册中该人员已故，不能报名")
                continue
            if record.result != EnrolmentStatus.DROPPED:
                if taken.get(course.pk, 0) >= course.capacity:
                    _refuse(
                        validation,
                        row,
                        rows.COURSE,
                        record.course,
                        f"培训班已满（计划 {course.capacity} 人）",
                    )
                    continue
                taken[course.pk] = taken.get(course.pk, 0) + 1
        elif old["status"] != EnrolmentStatus.ENROLLED and record.result == EnrolmentStatus.ENROLLED:
            _refuse(validation, row, rows.RESULT, record.result, f"该学员已{old['status']}，名册不能改回在训")
            continue
        seen[key] = row.number
        validation.checked.append((record, row, course, pk))
    validation.problems.sort(key=lambda p: p.row_number)
    return validation


def _values(record: rows.RosterRow, old: dict | None) -> dict:
    return {
        "status": record.result,
        "days_attended": record.days_attended
        if record.days_attended is not None
        else (old or {}).get("days_attended", 0),
        "completed_on": record.completed_on,
        "certificate_kind": record.certificate_kind,
        "certificate_number": record.certificate_number,
        "certificate_on": record.certificate_on,
    }


@transaction.atomic
def save(validation: Validation, *, area: Area, actor, batch: RosterImport | None = None) -> Counts:
    """Phase two, one transaction: inserts and updates in bulk, one audit event for the roster."""
    counts = Counts()
    checked = validation.checked
    stored = {}
    course_ids = {course.pk for _, _, course, _ in checked}
    for chunk in batched(sorted(course_ids), 500):
        for e in Enrolment.objects.filter(course_id__in=chunk, person_id__in={p for *_, p in checked}).values(
            "course_id", "person_id", "pk", *FIELDS
        ):
            stored[(e["course_id"], e["person_id"])] = e
    people = {
        pk: code
        for pk, code in Person.objects.filter(pk__in={p for *_, p in checked}).values_list("pk", "area_id")
    }
    today = timezone.localdate()
    new, changed = [], []
    for record, _, course, pk in checked:
        old = stored.get((course.pk, pk))
        values = _values(record, old)
        if old is None:
            new.append(
                Enrolment(
                    course_id=course.pk,
                    person_id=pk,
                    area_id=people[pk],
                    source=EnrolmentSource.ROSTER,
                    enrolled_on=record.enrolled_on or min(course.starts_on, today),
                    **values,
                )
            )
        elif any(old[name] != value for name, value in values.items()):
            changed.append(Enrolment(pk=old["pk"], **values))
        else:
            counts.unchanged += 1
    Enrolment.objects.bulk_create(new, batch_size=2000)
    Enrolment.objects.bulk_update(changed, list(FIELDS), batch_size=2000)
    counts.created, counts.updated = len(new), len(changed)
    audit(
        Action.IMPORT,
        actor=actor,
        obj=batch,
        area_code=area.code,
        message=f"导入培训学员名册：新增 {counts.created}、更新 {counts.updated}、未变化 {counts.unchanged}",
    )
    return counts


def create_import(*, area: Area, user, path: Path | None = None, upload=None, name: str = "") -> RosterImport:
    batch = RosterImport(area=area, user=user if getattr(user, "pk", None) else None)
    return audited.keep(batch, path=path, upload=upload, name=name)


def run_import(batch: RosterImport, *, report_path: Path | None = None) -> RosterImport:
    """Both phases for one batch; a failure leaves nothing saved (phase two is one transaction)."""
    batches.start(batch)
    try:
        return _run(batch, report_path=report_path)
    except Exception as exc:
        audited.fail_if_running(batch, exc)
        raise


def _run(batch: RosterImport, *, report_path) -> RosterImport:
    try:
        validation = validate(Path(batch.file.path), batch.area)
    except SpreadsheetError as exc:
        return audited.finish(batch, status=ImportStatus.FAILED, message=shown_names(exc.message, batch))
    counts = save(validation, area=batch.area, actor=batch.user, batch=batch)
    batch.total_rows = validation.total_rows
    batch.error_rows = len({p.row_number for p in validation.problems})
    batch.valid_rows = batch.total_rows - batch.error_rows
    batch.errors = error_list(validation.problems)
    batch.created, batch.updated, batch.unchanged = counts.created, counts.updated, counts.unchanged
    if validation.problems:
        batches.attach_report(batch, validation.header, validation.problems, report_path)
    summary = (
        f"共 {batch.total_rows} 行：有效 {batch.valid_rows}，错误 {batch.error_rows}；"
        f"新增 {counts.created}、更新 {counts.updated}、未变化 {counts.unchanged}"
    )
    return audited.finish(batch, status=ImportStatus.DONE, message="；".join([summary, *validation.warnings]))
