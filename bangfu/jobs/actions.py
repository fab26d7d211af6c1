"""Writes to jobs: create, edit, close and reopen one job, and the jobs file import (EXCHANGE.md §2).

Who may write a job: staff for jobs whose work area is in their subtree (`Job.objects.for_user`), and an
enterprise account for its own employers' jobs (`Job.objects.for_employer_account`). Staff *browse* open
postings everywhere (`Job.objects.postings_for`) but manage only their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import Kind
from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.core.background import reap, runner_id
from bangfu.core.files import shown_names
from bangfu.core.rules import pick
from bangfu.employers.models import Cooperation, Employer
from bangfu.exchange.errors import error_list
from bangfu.exchange.report import RowProblem, write_error_report
from bangfu.exchange.spreadsheet import SpreadsheetError, open_sheet
from bangfu.jobs.models import ImportStatus, Job, JobImport, Occupation, SuitabilityRule
from bangfu.jobs.occupations import default_index
from bangfu.jobs.rows import COLUMNS, JobRecord, clean_job_row
from bangfu.jobs.suitability import Rule, judge

JOB_FIELDS = [
    "employer",
    "number",
    "title",
    "occupation",
    "occupation_inferred",
    "openings",
    "openings_left",
    "area",
    "wage_min",
    "wage_max",
    "age_min",
    "age_max",
    "sex_required",
    "education_min",
    "board_and_lodging",
    "skills_required",
    "deadline",
    "suits_low_skill",
    "suits_low_skill_by_rule",
    "status",
]
# The fields a jobs file sets; comparing them decides whether a re-imported row changes anything.
IMPORTED_FIELDS = [
    "title",
    "occupation_id",
    "occupation_inferred",
    "openings",
    "area_id",
    "wage_min",
    "wage_max",
    "age_min",
    "age_max",
    "sex_required",
    "education_min",
    "board_and_lodging",
    "skills_required",
    "deadline",
]


# --------------------------------------------------------------------------------------------------
# Suitability rule (rules are data)


class RuleBook:
    """All suitability rules, read once; `rule_for` picks the one in force (`bangfu.core.rules.pick`)."""

    def __init__(self, rules=None):
        self.rules = list(SuitabilityRule.objects.all() if rules is None else rules)

    def rule_for(self, area_code: str, day: dt.date) -> Rule | None:
        found = pick(self.rules, area_code, day)
        return Rule.of(found) if found else None


def apply_rule(job: Job, book: RuleBook, day: dt.date | None = None) -> None:
    """Set `suits_low_skill` from the rule, unless a person set it (suits_low_skill_by_rule False)."""
    if not job.suits_low_skill_by_rule:
        return
    rule = book.rule_for(job.area_id, day or timezone.localdate())
    if rule is None:
        job.suits_low_skill = False
        return
    job.suits_low_skill = judge(
        rule,
        education_min=job.education_min,
        skills_required=job.skills_required,
        occupation_code=job.occupation_id,
    ).suits


def suitability_reasons(job: Job) -> list[str]:
    """Why the rule says a job does not suit low-skill laborers (for the detail page)."""
    rule = RuleBook().rule_for(job.area_id, timezone.localdate())
    if rule is None:
        return ["没有适用的规则"]
    return judge(
        rule,
        education_min=job.education_min,
        skills_required=job.skills_required,
        occupation_code=job.occupation_id,
    ).reasons


# --------------------------------------------------------------------------------------------------
# Who may write


def can_manage(actor, job: Job) -> bool:
    """Staff whose subtree holds the job's work area, or an enterprise account of the job's employer."""
    if actor is None or not actor.is_active:
        return False
    if actor.kind == Kind.ENTERPRISE:
        return job.employer.accounts.filter(pk=actor.pk).exists()
    return Job.objects.for_user(actor).filter(pk=job.pk).exists()


def _check_place(actor, employer: Employer, area: Area) -> None:
    if actor.kind == Kind.ENTERPRISE:
        if not employer.accounts.filter(pk=actor.pk).exists():
            raise PermissionDenied("只能为本单位发布岗位。")
        return
    if not actor.is_staff_account or actor.area is None or not actor.area.contains(area):
        raise PermissionDenied("岗位的工作地点不在您的管辖区域内。")


def _infer_into(job: Job) -> None:
    guess = default_index().infer(job.title)
    if guess is not None and Occupation.objects.filter(pk=guess.code).exists():
        job.occupation_id, job.occupation_inferred, job.occupation_confidence = (
            guess.code,
            True,
            guess.confidence,
        )
    else:
        job.occupation_id, job.occupation_inferred, job.occupation_confidence = None, False, None


@transaction.atomic
def save_job(actor, job: Job, *, manual_suitability: bool | None = None, infer: bool = False) -> Job:
    """Create (job.pk None) or edit one job whose fields the caller has set.

    `manual_suitability` None: the rule decides; True/False: a person decided (kept through later saves).
    `infer`: no occupation was chosen; infer it from the title.
    """
    creating = job.pk is None
    before = None
    if not creating:
        old = Job.objects.select_related("employer").get(pk=job.pk)
        if not can_manage(actor, old):
            raise PermissionDenied("您不能修改该岗位。")
        before = snapshot(old, JOB_FIELDS)
        if job.openings != old.openings:
            job.openings_left = max(0, old.openings_left + job.openings - old.openings)
    else:
        job.openings_left = job.openings
        job.posted_by = actor
    _check_place(actor, job.employer, job.area)
    if job.wage_min is not None and job.wage_max is not None and job.wage_min > job.wage_max:
        raise ValidationError({"wage_max": "月薪上限不能低于下限。"})
    if job.age_min is not None and job.age_max is not None and job.age_min > job.age_max:
        raise ValidationError({"age_max": "年龄上限不能低于下限。"})
    duplicate = Job.objects.filter(employer=job.employer, number=job.number).exclude(pk=job.pk)
    if duplicate.exists():
        raise ValidationError({"number": "该单位已有相同岗位编号的岗位。"})
    if infer:
        _infer_into(job)
    elif job.occupation_id is not None and not creating and before["occupation"] != job.occupation_id:
        job.occupation_inferred, job.occupation_confidence = False, None
    if manual_suitability is None:
        job.suits_low_skill_by_rule = True
    else:
        job.suits_low_skill_by_rule, job.suits_low_skill = False, manual_suitability
    apply_rule(job, RuleBook())
    job.save()
    after = snapshot(job, JOB_FIELDS)
    if creating:
        audit(Action.CREATE, actor=actor, obj=job, after=after, message="发布岗位")
    elif after != before:
        audit(Action.UPDATE, actor=actor, obj=job, before=before, after=after, message="修改岗位")
    return job


@transaction.atomic
def set_job_status(actor, job: Job, status: str) -> Job:
    """Close (招聘结束) or reopen a job."""
    if not can_manage(actor, job):
        raise PermissionDenied("您不能修改该岗位。")
    if job.status == status:
        return job
    before = snapshot(job, JOB_FIELDS)
    job.status = status
    job.save(update_fields=["status", "updated_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=job,
        before=before,
        after=snapshot(job, JOB_FIELDS),
        message="结束招聘" if status == Job.Status.CLOSED else "重新开放招聘",
    )
    return job


# --------------------------------------------------------------------------------------------------
# Import (EXCHANGE.md §2)


def import_areas(area: Area, day: dt.date) -> list[Area]:
    """Where an importer of `area` may place jobs: its own subtree, and the receiving areas of the labor
    cooperations in force whose sending area holds `area` or lies inside it (湘西州 → 广州市黄埔区 lets
    花垣县 import 黄埔 jobs for its laborers)."""
    places = [area]
    ancestors = {*area.ancestor_codes(), area.code}
    for cooperation in Cooperation.objects.active_on(day).select_related("sending_area", "receiving_area"):
        sending = cooperation.sending_area
        if sending.code in ancestors or area.contains(sending):
            places.append(cooperation.receiving_area)
    return places


def placer(area: Area, day: dt.date):
    """`place(code)` for the row cleaner: the current area for the code, if the importer may use it."""
    places = import_areas(area, day)

    def place(code: str):
        found = Area.objects.resolve(code)
        if found is None:
            return None, f"区划代码“{code.rstrip('0') or code}”不存在"
        if any(p.contains(found) for p in places):
            return found.code, None
        return None, f"“{found.full_name or found.name}”不在您的管辖区域内，也不是劳务协作的输入地"

    return place


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    employers_created: int = 0


@dataclass
class Validation:
    header: list[str]
    total_rows: int = 0
    records: list[JobRecord] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def validate_jobs_file(path: Path, area: Area, *, today: dt.date | None = None) -> Validation:
    """Phase one: read and check every row, writing nothing. SpreadsheetError when the file is unusable."""
    today = today or timezone.localdate()
    sheet = open_sheet(path, COLUMNS)
    validation = Validation(header=sheet.header, warnings=list(sheet.warnings))  # unknown columns among them
    index = default_index()
    leaves = set(index.codes)
    place = placer(area, today)
    seen: dict[tuple[str, str], int] = {}
    rows_of: list[tuple[JobRecord, object]] = []
    for row in sheet.rows():
        validation.total_rows += 1
        record, errors = clean_job_row(row.cells, place=place, leaf_codes=leaves, infer=index.infer)
        if record is not None and record.key in seen:
            errors = [_row_error(f"与第 {seen[record.key]} 行的统一社会信用代码和岗位编号重复")]
            record = None
        if record is None:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
            continue
        seen[record.key] = row.number
        rows_of.append((record, row))
    validation.warnings += [w for w in sheet.warnings if w not in validation.warnings]  # the footer left out
    # Existing jobs placed where the importer may not write are not taken over.
    existing = _existing_jobs([r for r, _ in rows_of])
    allowed = import_areas(area, today)
    for record, row in rows_of:
        job = existing.get(record.key)
        if job is not None and not any(a.contains(job.area_id) for a in allowed):
            validation.problems.append(
                RowProblem(row.number, row.raw, [_row_error("该岗位已由其他地区登记，不在您的管辖区域内")])
            )
            continue
        validation.records.append(record)
    return validation


def _row_error(message: str):
    from bangfu.exchange.report import CellError

    return CellError(None, None, message)


def _existing_jobs(records: list[JobRecord]) -> dict[tuple[str, str], Job]:
    codes = {r.credit_code for r in records}
    found = {}
    codes_list = list(codes)
    for start in range(0, len(codes_list), 500):
        chunk = codes_list[start : start + 500]
        for job in Job.objects.filter(employer__credit_code__in=chunk).select_related("employer"):
            found[(job.employer.credit_code, job.number)] = job
    return found


@transaction.atomic
def save_jobs(records: list[JobRecord], *, actor, today: dt.date | None = None) -> Counts:
    """Phase two, in one transaction: new employers created, jobs created or updated by (信用代码, 岗位编号).
    A row equal to the saved job changes nothing, so importing a file twice changes nothing."""
    today = today or timezone.localdate()
    counts = Counts()
    codes = list({r.credit_code for r in records})
    employers = {}
    for start in range(0, len(codes), 500):
        employers.update(Employer.objects.in_bulk(codes[start : start + 500], field_name="credit_code"))
    new_employers = []
    for r in records:
        if r.credit_code not in employers:
            employer = Employer(credit_code=r.credit_code, name=r.employer_name, area_id=r.area_code)
            employers[r.credit_code] = employer
            new_employers.append(employer)
    if new_employers:
        Employer.objects.bulk_create(new_employers, batch_size=1000)
        employers.update(
            Employer.objects.in_bulk([e.credit_code for e in new_employers], field_name="credit_code")
        )
    counts.employers_created = len(new_employers)
    existing = _existing_jobs(records)
    book = RuleBook()
    to_create, to_update = [], []
    for r in records:
        values = {
            "title": r.title,
            "occupation_id": r.occupation_code,
            "occupation_inferred": r.occupation_inferred,
            "openings": r.openings,
            "area_id": r.area_code,
            "wage_min": r.wage_min,
            "wage_max": r.wage_max,
            "age_min": r.age_min,
            "age_max": r.age_max,
            "sex_required": r.sex_required,
            "education_min": r.education_min,
            "board_and_lodging": r.board_and_lodging,
            "skills_required": r.skills_required,
            "deadline": r.deadline,
        }
        job = existing.get(r.key)
        if job is None:
            job = Job(
                employer=employers[r.credit_code],
                number=r.number,
                openings_left=r.openings,
                occupation_confidence=r.occupation_confidence,
                posted_by=actor if getattr(actor, "pk", None) else None,
                **values,
            )
            apply_rule(job, book, today)
            to_create.append(job)
            continue
        if all(getattr(job, name) == value for name, value in values.items()):
            counts.unchanged += 1
            continue
        if r.openings != job.openings:
            job.openings_left = max(0, job.openings_left + r.openings - job.openings)
        for name, value in values.items():
            setattr(job, name, value)
        job.occupation_confidence = r.occupation_confidence
        apply_rule(job, book, today)
        to_update.append(job)
    Job.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Job.objects.bulk_update(
            to_update,
            [*IMPORTED_FIELDS, "openings_left", "occupation_confidence", "suits_low_skill", "updated_at"],
            batch_size=1000,
        )
    counts.created, counts.updated = len(to_create), len(to_update)
    return counts


def create_job_import(
    *, area: Area, user, path: Path | None = None, upload=None, name: str = ""
) -> JobImport:
    """Keep the file with the batch, so what was imported can always be looked at again."""
    batch = JobImport(area=area, user=user if getattr(user, "pk", None) else None)
    if upload is not None:
        batch.original_name = name or upload.name
        batch.file.save(Path(batch.original_name).name, upload, save=False)
    else:
        batch.original_name = name or path.name
        with open(path, "rb") as fh:
            batch.file.save(path.name, ContentFile(fh.read()), save=False)
    batch.save()
    audit(Action.IMPORT, actor=user, obj=batch, message=f"提交岗位导入：{batch.original_name}")
    return batch


def run_job_import(
    batch: JobImport, *, today: dt.date | None = None, report_path: Path | None = None
) -> JobImport:
    """Both phases for one batch; a failure leaves nothing saved (phase two is one transaction)."""
    actor = batch.user
    batch.runner = runner_id()
    JobImport.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, runner=batch.runner)
    try:
        return _run_job_import(batch, actor, today=today, report_path=report_path)
    except Exception as exc:  # whatever broke, the batch must not stay 处理中 in a process that lives on
        if JobImport.objects.filter(pk=batch.pk, status=ImportStatus.RUNNING).exists():
            _finish(batch, actor, status=ImportStatus.FAILED, message=f"导入出错，未保存任何岗位：{exc}")
        raise


def reap_job_imports(queryset) -> int:
    """Mark 中断 the batches of `queryset` left 处理中 by a process that is gone (core.background)."""
    return reap(
        queryset,
        running=ImportStatus.RUNNING,
        stopped=ImportStatus.STOPPED,
        message=JobImport.stopped_message,
    )


@transaction.atomic
def resume_job_import(actor, batch: JobImport) -> JobImport:
    """Submit an interrupted or failed jobs import again (nothing of it was saved: one transaction)."""
    reap_job_imports(JobImport.objects.filter(pk=batch.pk))
    batch = JobImport.objects.select_for_update().get(pk=batch.pk)
    if not batch.resumable:
        raise ValidationError("只有中断的导入可以重新提交；其他情况请改正文件后重新上传。")
    batch.status, batch.finished_at, batch.runner, batch.message = (
        ImportStatus.PENDING,
        None,
        "",
        "已重新提交。",
    )
    batch.save(update_fields=["status", "finished_at", "runner", "message"])
    audit(Action.IMPORT, actor=actor, obj=batch, message=f"重新提交岗位导入：{batch.original_name}")
    return batch


def _run_job_import(batch: JobImport, actor, *, today, report_path) -> JobImport:
    try:
        validation = validate_jobs_file(Path(batch.file.path), batch.area, today=today)
    except SpreadsheetError as exc:
        return _finish(batch, actor, status=ImportStatus.FAILED, message=shown_names(exc.message, batch))
    batch.total_rows = validation.total_rows
    batch.valid_rows = len(validation.records)
    batch.error_rows = batch.total_rows - batch.valid_rows
    batch.errors = error_list(validation.problems)
    if validation.problems:
        _write_report(batch, validation, report_path)
    try:
        counts = save_jobs(validation.records, actor=actor, today=today)
    except Exception as exc:
        _finish(batch, actor, status=ImportStatus.FAILED, message=f"保存时出错，未保存任何岗位：{exc}")
        raise
    for name, value in counts.__dict__.items():
        setattr(batch, name, value)
    summary = (
        f"共 {batch.total_rows} 行：有效 {batch.valid_rows}，错误 {batch.error_rows}；"
        f"新增岗位 {counts.created}、更新 {counts.updated}、未变化 {counts.unchanged}；"
        f"新增用人单位 {counts.employers_created}"
    )
    return _finish(batch, actor, status=ImportStatus.DONE, message="；".join([summary, *validation.warnings]))


def _write_report(batch: JobImport, validation: Validation, report_path: Path | None) -> None:
    target = Path(report_path) if report_path else Path(batch.file.path).with_suffix(".errors.xlsx")
    write_error_report(target, validation.header, validation.problems)
    name = target.name if report_path else batch.report_filename
    with open(target, "rb") as fh:
        batch.report.save(name, ContentFile(fh.read()), save=False)
    if report_path is None:
        target.unlink()


@transaction.atomic
def _finish(batch: JobImport, actor, *, status: str, message: str) -> JobImport:
    batch.status, batch.message, batch.finished_at = status, message, timezone.now()
    batch.save()
    prefix = "岗位导入完成：" if status == ImportStatus.DONE else "岗位导入失败："
    audit(Action.IMPORT, actor=actor, obj=batch, message=prefix + message)
    return batch
