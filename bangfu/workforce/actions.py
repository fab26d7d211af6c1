"""Writes of 企业用工报送: an enterprise account reports a hire, a departure, a month's wages and insurance
(by form or file), each audited in its transaction; and, behind the portal, the background worker applies
what was reported to the registry's employment records (`apply_pending`).

The employer never learns whether someone is in the registry: a report is saved the same way for everyone
and nothing in the request looks at the registry. Only `apply_pending`, run by the worker after the request
has been answered, matches the report to a registry person (ID number and name) and creates or ends their
employment record of source 企业报送 through `employment.actions`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bangfu.accounts.models import Kind
from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.core.idnumber import mask_id
from bangfu.employment import actions as employment
from bangfu.employment.models import EmploymentRecord, Source
from bangfu.registry.models import Person
from bangfu.workforce.models import Hire, MonthlyWage, Via
from bangfu.workforce.rows import END_REASONS, HireRow, WageRow, clean_name, month_end

logger = logging.getLogger(__name__)

STATUS_SOURCE = "企业报送"  # registry Change.source of a 务工状态 derived after an employer's report
JOIN_DAYS = (
    31  # a record at the same employer starting this many days after the reported start is the same job
)
HIRE_FIELDS = [
    "employer",
    "id_number",
    "name",
    "started_on",
    "job_title",
    "monthly_wage",
    "work_area",
    "ended_on",
    "end_reason",
    "via",
]


def can_report(actor, employer) -> bool:
    """An active enterprise account acting for the employer (linked to it), the employer still active."""
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.kind == Kind.ENTERPRISE
        and employer.is_active
        and employer.accounts.filter(pk=actor.pk).exists()
    )


def _check(actor, employer) -> None:
    if not can_report(actor, employer):
        raise PermissionDenied("您不能为该单位报送用工信息。")


def _snapshot(hire: Hire, fields=HIRE_FIELDS) -> dict:
    """The audit snapshot of a report, its ID number masked (the audit is read by every staff user of the
    employer's area, who need not see the full numbers of people outside their own)."""
    data = snapshot(hire, fields)
    if "id_number" in data:
        data["id_number"] = mask_id(hire.id_number)
    return data


def _schedule() -> None:
    """Ask the background worker to apply what was reported, once the report is committed."""
    from bangfu.workforce.tasks import apply_reports_task

    transaction.on_commit(lambda: apply_reports_task.enqueue())


def work_area_of(code: str) -> Area | None:
    return Area.objects.filter(code=code, is_current=True).first() if code else None


def overlapping(spells, started_on: dt.date, ended_on: dt.date | None, *, skip=None):
    """The first of `spells` ((started_on, ended_on) pairs, or hires) sharing a day with the given spell."""
    for spell in spells:
        if spell is skip:
            continue
        start, end = (spell.started_on, spell.ended_on) if hasattr(spell, "started_on") else spell
        if (end is None or end >= started_on) and (ended_on is None or ended_on >= start):
            return spell
    return None


def overlap_message(other) -> str:
    if other.ended_on is None:
        return f"此人在本单位已有在职的入职报送（入职日期 {other.started_on:%Y-%m-%d}），请先报送其离职"
    return f"与此前报送的在职期间（{other.started_on:%Y-%m-%d} 至 {other.ended_on:%Y-%m-%d}）重叠"


@transaction.atomic
def report_hire(actor, employer, row: HireRow, *, via: str = Via.FORM) -> Hire:
    """A hire the employer reports (and, when the row has one, its departure)."""
    _check(actor, employer)
    work_area = work_area_of(row.work_area_code)
    if row.work_area_code and work_area is None:
        raise ValidationError({"work_area_code": "没有这个区划代码。"})
    spells = list(Hire.objects.select_for_update().filter(employer=employer, id_number=row.id_number))
    if any(s.started_on == row.started_on for s in spells):
        raise ValidationError(f"已报送过此人 {row.started_on:%Y-%m-%d} 入职，无需重复报送。")
    other = overlapping(spells, row.started_on, row.ended_on)
    if other is not None:
        raise ValidationError(overlap_message(other) + "。")
    hire = Hire.objects.create(
        employer=employer,
        id_number=row.id_number,
        name=row.name,
        started_on=row.started_on,
        job_title=row.job_title,
        monthly_wage=row.monthly_wage,
        work_area=work_area,
        ended_on=row.ended_on,
        end_reason=row.end_reason,
        via=via,
        reported_by=actor,
        changed_by=actor,
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=hire,
        area_code=employer.area_id,
        message=f"企业报送入职：{employer.name}，{hire.name}，{hire.started_on:%Y-%m-%d}",
        after=_snapshot(hire),
    )
    _schedule()
    return hire


@transaction.atomic
def report_departure(actor, hire: Hire, ended_on: dt.date, reason: str, *, via: str = Via.FORM) -> Hire:
    """The employer reports that a person it hired has left: the last day of work and the reason (§5)."""
    hire = Hire.objects.select_for_update().select_related("employer").get(pk=hire.pk)
    _check(actor, hire.employer)
    if hire.ended_on is not None:
        raise ValidationError(f"已报送过此人的离职（{hire.ended_on:%Y-%m-%d}）。")
    if ended_on < hire.started_on:
        raise ValidationError({"ended_on": "离职日期不能早于入职日期。"})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "离职日期不能晚于今天。"})
    if reason not in END_REASONS:
        raise ValidationError({"end_reason": f"离职原因只能是：{'、'.join(END_REASONS)}。"})
    before = _snapshot(hire, ["ended_on", "end_reason"])
    hire.ended_on, hire.end_reason, hire.changed_by, hire.pending = ended_on, reason, actor, True
    hire.save(update_fields=["ended_on", "end_reason", "changed_by", "pending", "updated_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=hire,
        area_code=hire.employer.area_id,
        message=f"企业报送离职：{hire.employer.name}，{hire.name}，{ended_on:%Y-%m-%d}，{reason}"
        + ("" if via == Via.FORM else f"（{via}）"),
        before=before,
        after=_snapshot(hire, ["ended_on", "end_reason"]),
    )
    _schedule()
    return hire


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def text(self, noun: str) -> str:
        return f"新增{noun} {self.created} 条，修改 {self.updated} 条，未变 {self.unchanged} 条"


def _save_wage(actor, hire: Hire, month: dt.date, wage: int, insured: bool, via: str, counts: Counts) -> None:
    found = MonthlyWage.objects.filter(hire=hire, month=month).first()
    if found is None:
        MonthlyWage.objects.create(
            hire=hire,
            month=month,
            wage=wage,
            insured=insured,
            via=via,
            reported_by=actor,
            person_id=hire.person_id,
            area_id=hire.area_id,
        )
        counts.created += 1
    elif (found.wage, found.insured) != (wage, insured):
        found.wage, found.insured, found.via, found.reported_by = wage, insured, via, actor
        found.save(update_fields=["wage", "insured", "via", "reported_by", "updated_at"])
        counts.updated += 1
    else:
        counts.unchanged += 1
        return
    Hire.objects.filter(pk=hire.pk).update(pending=True, changed_by=actor)


@transaction.atomic
def report_month(actor, employer, month: dt.date, entries, *, via: str = Via.FORM) -> Counts:
    """A month's wages and insurance: `entries` are (hire, wage, insured) of the employer's hires in work
    that month; one audit event for them all."""
    _check(actor, employer)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError("不能报送以后月份的工资。")
    counts = Counts()
    for hire, wage, insured in entries:
        if hire.employer_id != employer.pk:
            raise PermissionDenied("只能报送本单位人员的工资。")
        if hire.started_on > month_end(month) or (hire.ended_on and hire.ended_on < month):
            raise ValidationError(f"{hire.name}在 {month:%Y-%m} 不在职。")
        _save_wage(actor, hire, month, wage, insured, via, counts)
    if counts.created or counts.updated:
        audit(
            Action.UPDATE,
            actor=actor,
            obj=employer,
            message=f"企业报送 {month:%Y-%m} 月工资参保：{counts.text('')}",
        )
        _schedule()
    return counts


# --- files (workforce/importer.py checked them) -----------------------------------------------------------


@transaction.atomic
def import_hires(actor, employer, rows: list[HireRow], *, file_name: str) -> Counts:
    """The rows of a 用工人员 file: new spells created; a known spell (same ID and 入职日期) takes the file's
    job, wage and work area, and its departure when the file first gives one. One audit event."""
    _check(actor, employer)
    counts = Counts()
    stored = {
        (h.id_number, h.started_on): h
        for h in Hire.objects.select_for_update().filter(
            employer=employer, id_number__in=[r.id_number for r in rows]
        )
    }
    areas = {
        a.code: a for a in Area.objects.filter(code__in={r.work_area_code for r in rows if r.work_area_code})
    }
    # Departures first, so that a spell ended in this file makes room for the next one it starts.
    ordered = sorted(rows, key=lambda r: (r.key not in stored, r.started_on))
    for row in ordered:
        values = {
            "job_title": row.job_title,
            "monthly_wage": row.monthly_wage,
            "work_area": areas.get(row.work_area_code),
        }
        hire = stored.get(row.key)
        if hire is None:
            Hire.objects.create(
                employer=employer,
                id_number=row.id_number,
                name=row.name,
                started_on=row.started_on,
                ended_on=row.ended_on,
                end_reason=row.end_reason,
                via=Via.FILE,
                reported_by=actor,
                changed_by=actor,
                **values,
            )
            counts.created += 1
            continue
        if row.ended_on and hire.ended_on is None:
            values.update(ended_on=row.ended_on, end_reason=row.end_reason)
        changed = [name for name, value in values.items() if getattr(hire, name) != value]
        if not changed:
            counts.unchanged += 1
            continue
        for name in changed:
            setattr(hire, name, values[name])
        hire.changed_by, hire.pending = actor, True
        hire.save(update_fields=[*changed, "changed_by", "pending", "updated_at"])
        counts.updated += 1
    audit(
        Action.IMPORT,
        actor=actor,
        obj=employer,
        message=f"企业导入用工人员文件 {file_name}：{counts.text('入职报送')}",
    )
    if counts.created or counts.updated:
        _schedule()
    return counts


@transaction.atomic
def import_wages(actor, employer, rows: list[tuple[Hire, WageRow]], *, file_name: str) -> Counts:
    _check(actor, employer)
    counts = Counts()
    for hire, row in rows:
        if hire.employer_id != employer.pk:
            raise PermissionDenied("只能报送本单位人员的工资。")
        _save_wage(actor, hire, row.month, row.wage, row.insured, Via.FILE, counts)
    audit(
        Action.IMPORT,
        actor=actor,
        obj=employer,
        message=f"企业导入月工资参保文件 {file_name}：{counts.text('')}",
    )
    if counts.created or counts.updated:
        _schedule()
    return counts


# --- behind the portal: what was reported, applied to the employment records -------------------------------


def apply_pending(limit: int | None = None) -> int:
    """Apply every report still pending (the background worker runs it after each report): each in its own
    transaction, locked, so that two workers never apply one twice and one failure stops no other.
    Returns how many were applied."""
    ids = list(Hire.objects.filter(pending=True).order_by("pk").values_list("pk", flat=True)[:limit])
    applied = 0
    for pk in ids:
        try:
            with transaction.atomic():
                hire = (
                    Hire.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("employer", "employer__area", "changed_by", "record")
                    .filter(pk=pk, pending=True)
                    .first()
                )
                if hire is None:
                    continue
                apply(hire)
                applied += 1
        except Exception:  # logged and left pending: the next run tries again
            logger.exception("workforce: applying report %s failed", pk)
    return applied


def apply(hire: Hire) -> None:
    """One report applied (inside the caller's transaction): matched to the registry by ID number and name;
    for a registry person, their employment record at this employer joined or created (source 企业报送),
    ended when the employer reported the departure, its wage the latest month's."""
    actor = hire.changed_by
    if hire.person_id is None:
        person = Person.objects.filter(id_number=hire.id_number).first()
        if person is not None and clean_name(person.name) == hire.name:
            hire.person, hire.area_id = person, person.area_id
    if hire.person_id is not None:
        latest = hire.wages.order_by("-month").first()
        wage = latest.wage if latest else hire.monthly_wage
        record = hire.record or _same_job(hire)
        if record is None:
            record = employment.create_record(
                actor,
                hire.person,
                EmploymentRecord(
                    employer=hire.employer,
                    work_area=hire.work_area or hire.employer.area,
                    started_on=hire.started_on,
                    ended_on=hire.ended_on,
                    end_reason=hire.end_reason if hire.ended_on else "",
                    monthly_wage=wage,
                    source=Source.EMPLOYER,
                    source_ref=f"workforce:{hire.pk}",
                ),
                check_scope=False,
                status_source=STATUS_SOURCE,
                message=f"企业报送入职：{hire.employer.name}，{hire.name}",
            )
        elif hire.ended_on and record.ended_on is None and hire.ended_on >= record.started_on:
            record = employment.end_record(
                actor, record, hire.ended_on, reason=hire.end_reason, note="企业报送离职", check_scope=False
            )
        if record.ended_on is None and wage is not None and record.monthly_wage != wage:
            _set_wage(actor, record, wage, latest)
        hire.record = record
        MonthlyWage.objects.filter(hire=hire, person__isnull=True).update(
            person_id=hire.person_id, area_id=hire.area_id
        )
    hire.pending = False
    hire.save(update_fields=["person", "area", "record", "pending"])


def _same_job(hire: Hire) -> EmploymentRecord | None:
    """The person's record at this employer that is this job already (a referral's hire, staff's entry): in
    force on the reported start, or starting within JOIN_DAYS after it."""
    employer = hire.employer
    return (
        EmploymentRecord.objects.select_for_update()
        .filter(person_id=hire.person_id)
        .filter(Q(employer=employer) | Q(employer__isnull=True, credit_code=employer.credit_code))
        .filter(started_on__lte=hire.started_on + dt.timedelta(days=JOIN_DAYS))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=hire.started_on))
        .order_by("started_on", "pk")
        .first()
    )


def _set_wage(actor, record: EmploymentRecord, wage: int, latest: MonthlyWage | None) -> None:
    before = snapshot(record, ["monthly_wage"])
    record.monthly_wage = wage
    record.save(update_fields=["monthly_wage", "updated_at"])
    month = f"（{latest.month:%Y-%m}）" if latest else ""
    audit(
        Action.UPDATE,
        actor=actor,
        obj=record,
        message=f"企业报送月工资 {wage} 元{month}：{record.person.name}",
        before=before,
        after=snapshot(record, ["monthly_wage"]),
    )
