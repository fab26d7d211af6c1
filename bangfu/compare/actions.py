"""Writes of data comparison with their audit: submit a comparison (create_run), accept or reject its
findings (through the registry's own write functions, so history and audit are those of a manual edit),
decide many at once. (The 联系不上 list is tracking's.) Running a comparison is run.py's."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from itertools import batched
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.compare import sources
from bangfu.compare.filters import FindingFilter, filters_shown
from bangfu.compare.models import (
    CHECKED_ONLY,
    BulkDecision,
    ChangeKind,
    ComparisonRun,
    FillPerson,
    Finding,
    Kind,
    RunStatus,
    Status,
)
from bangfu.compare.verdicts import LABELS, SHOWN
from bangfu.core.background import reap
from bangfu.registry.actions import SOURCE_COMPARE, update_household_fields, update_person_fields
from bangfu.registry.models import Person

logger = logging.getLogger(__name__)

DATE_FIELDS = {"died_on"}

# --------------------------------------------------------------------------------------------------
# Runs


@transaction.atomic
def create_run(
    *,
    area,
    user,
    source_type: str,
    path: Path | None = None,
    upload=None,
    name: str = "",
    threshold: float = 0.9,
    auto_apply: Iterable[str] = (),
) -> ComparisonRun:
    """Keep the file with the run and its settings, so what was compared can be looked at again."""
    if source_type not in sources.TYPES:
        raise ValidationError(f"未知的比对数据类型：{source_type}")
    if not 0.5 <= threshold < 1:
        raise ValidationError("模糊匹配阈值应在 0.5 与 1 之间。")
    kinds = [k for k in auto_apply if k]
    unknown = [k for k in kinds if k not in ChangeKind.values or k in CHECKED_ONLY]
    if unknown:
        raise ValidationError(f"不能自动应用的变更类型：{'、'.join(unknown)}")
    run = ComparisonRun(
        source_type=source_type,
        area=area,
        user=user if getattr(user, "pk", None) else None,
        threshold=threshold,
        auto_apply=kinds,
    )
    if upload is not None:
        run.original_name = name or upload.name
        run.file.save(Path(run.original_name).name, upload, save=False)
    else:
        run.original_name = name or path.name
        with open(path, "rb") as fh:
            run.file.save(path.name, File(fh), save=False)  # streamed: a province's file is gigabytes
    run.save()
    settings_text = f"阈值 {threshold}" + (
        f"，自动应用：{'、'.join(run.auto_apply_labels)}" if kinds else "，不自动应用任何变更"
    )
    audit(
        Action.IMPORT,
        actor=user,
        obj=run,
        message=f"提交数据比对（{sources.TYPE_NAMES[source_type]}）：{run.original_name}；{settings_text}",
    )
    return run


def reap_runs(queryset) -> int:
    """Mark 中断 the runs of `queryset` left 处理中 by a process that is gone (core.background)."""
    return reap(
        queryset, running=RunStatus.RUNNING, stopped=RunStatus.STOPPED, message=ComparisonRun.stopped_message
    )


def reap_bulk_decisions(queryset) -> int:
    """The same for bulk decisions: what was decided stays, submitting again takes what is still open."""
    return reap(
        queryset, running=RunStatus.RUNNING, stopped=RunStatus.STOPPED, message=BulkDecision.stopped_message
    )


def compare_again(actor, run: ComparisonRun) -> ComparisonRun:
    """A new run of an interrupted or failed run's kept file, with its settings."""
    reap_runs(ComparisonRun.objects.filter(pk=run.pk))
    run.refresh_from_db()
    if run.status not in (RunStatus.STOPPED, RunStatus.FAILED):
        raise ValidationError("只有中断或失败的比对可以重新比对。")
    return create_run(
        area=run.area,
        user=actor,
        source_type=run.source_type,
        path=Path(run.file.path),
        name=run.original_name,
        threshold=run.threshold,
        auto_apply=run.auto_apply,
    )


# --------------------------------------------------------------------------------------------------
# Review


def _check_scope(actor, finding: Finding) -> None:
    if getattr(actor, "pk", None) and not actor.area.contains(finding.area_id):
        raise PermissionDenied("该比对结果不在您的管辖区域内。")


def _typed(values: dict) -> dict:
    return {k: (dt.date.fromisoformat(v) if k in DATE_FIELDS and v else v) for k, v in values.items()}


@transaction.atomic
def accept(actor, finding: Finding, *, automatic: bool = False) -> Finding:
    """Apply a finding's proposed change through the registry's write functions (history 比对, audit) and
    mark it accepted. A finding already decided changes nothing again."""
    finding = (
        Finding.objects.select_for_update(of=("self",)).select_related("person", "run").get(pk=finding.pk)
    )
    _check_scope(actor, finding)
    if finding.status != Status.OPEN:
        return finding
    label = f"数据比对（{finding.run.get_source_type_display()}，批次 {finding.run_id}）" + (
        "自动应用" if automatic else ""
    )
    outcome = _fill(actor, finding, label) if finding.is_fill else _apply(actor, finding, label)
    finding.status = Status.ACCEPTED
    finding.automatic = automatic
    finding.decided_by = actor if getattr(actor, "pk", None) else None
    finding.decided_at = timezone.now()
    finding.outcome = outcome
    finding.save(update_fields=["status", "automatic", "decided_by", "decided_at", "outcome"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=finding,
        message=("自动应用" if automatic else "接受")
        + f"比对结果：{finding.difference}；{finding.outcome}"[:1000],
    )
    return finding


def _apply(actor, finding: Finding, label: str) -> str:
    """Apply one finding's proposal (the person's and household's fields, an employment record). Returns
    the finding's outcome. 务工状态 is never written as such: it is derived from the records again
    (employment.actions), after the proposed record, if any, is saved."""
    from bangfu.employment.actions import refresh_status

    proposal, person, parts = finding.proposal, finding.person, []
    if not proposal:  # a finding to check (待核实, an identity to verify): nothing to change
        return "已核实，名册未修改"
    if ending := proposal.get(ChangeKind.ENDING):
        return _end_employment(actor, finding, ending, label)
    values = dict(proposal.get("person") or {})
    status_proposed = values.pop("employment_status", None) is not None
    if values:
        diff = update_person_fields(actor, person, _typed(values), source=SOURCE_COMPARE, message=label)
        parts += [f"{k}" for k in diff]
    if values := proposal.get("household"):
        diff = update_household_fields(actor, person.household, values, source=SOURCE_COMPARE, message=label)
        parts += [f"{k}" for k in diff]
    job = proposal.get("employment")
    if job and _create_employment(actor, person, job, finding):
        parts.append("就业记录")
    elif status_proposed and refresh_status(actor, [person.pk], source=SOURCE_COMPARE):
        parts.append("employment_status")
    return ("已修改：" + "、".join(_field_label(p) for p in parts)) if parts else "名册已是建议的值，未修改"


def _fill(actor, finding: Finding, label: str) -> str:
    """Fill each person of a fill finding not left out, through the registry's write function (history
    and audit per person, as a manual edit). A person whose registry has meanwhile got any of the values
    is not overwritten. Returns the finding's outcome."""
    fields, values = SHOWN[finding.change], _typed(finding.proposal["person"])
    filled, kept, left_out = [], [], []
    people = finding.people.select_related("person").order_by("row_no")
    for member in people.iterator(chunk_size=2000):
        person = member.person
        if member.excluded:
            left_out.append(person.pk)
        elif any(getattr(person, name) not in (None, "") for name in fields):
            kept.append(person.pk)
        else:
            update_person_fields(actor, person, values, source=SOURCE_COMPARE, message=label)
            filled.append(person.pk)
    outcomes = ((filled, "已补录"), (kept, "名册已有值，未覆盖"), (left_out, "未补录（审核时排除）"))
    for ids, outcome in outcomes:
        for chunk in batched(ids, 1000):
            finding.people.filter(person_id__in=chunk).update(outcome=outcome)
    return "；".join(
        part
        for part in (
            f"已补录 {len(filled)} 人",
            f"{len(kept)} 人名册已有值，未覆盖" if kept else "",
            f"排除 {len(left_out)} 人" if left_out else "",
        )
        if part
    )


@transaction.atomic
def exclude_people(actor, finding: Finding, person_ids: Iterable[int], *, excluded: bool = True) -> int:
    """Leave people of an open fill finding out of it (or take them back in) before it is accepted.
    Returns how many changed."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _check_scope(actor, finding)
    if not finding.is_fill or finding.status != Status.OPEN:
        return 0
    wanted = finding.people.filter(person_id__in=list(person_ids)).exclude(excluded=excluded)
    names = list(wanted.values_list("person__name", "row_no"))
    changed = wanted.update(excluded=excluded)
    if changed:
        listed = "、".join(f"{name}（第{row}行）" for name, row in names[:50])
        audit(
            Action.UPDATE,
            actor=actor,
            obj=finding,
            message=(f"名册补录排除 {changed} 人：" if excluded else f"名册补录恢复 {changed} 人：")
            + listed
            + ("等" if changed > 50 else ""),
        )
    return changed


def _field_label(name: str) -> str:
    return LABELS.get(name, name)


def _create_employment(actor, person: Person, job: dict, finding: Finding) -> bool:
    """The proposed record, through employment.actions (务工状态 derived again, records_changed sent);
    the employer from the ledger when its credit code is there, the channel from the employer's kind."""
    from bangfu.areas.models import Area
    from bangfu.employers.models import Employer
    from bangfu.employment.actions import channel_for, create_record
    from bangfu.employment.models import EmploymentRecord, Source

    started = dt.date.fromisoformat(job["started_on"])
    existing = EmploymentRecord.objects.filter(person=person, started_on=started)
    existing = (
        existing.filter(credit_code=job["credit_code"])
        if job["credit_code"]
        else existing.filter(employer_name=job["employer_name"])
    )
    if existing.exists():
        return False
    work_area = (job.get("work_area") or "").ljust(12, "0") if job.get("work_area") else None
    if work_area and not Area.objects.filter(code=work_area).exists():
        work_area = None
    employer = _ledger_employer(Employer, job["employer_name"], job["credit_code"])
    record = EmploymentRecord(
        employer=employer,
        employer_name=job["employer_name"][:100],
        credit_code=job["credit_code"],
        work_area_id=work_area,
        place=job.get("place") or "",
        channel=channel_for(person.area_id, employer=employer, work_code=work_area or "", on=started),
        started_on=started,
        ended_on=dt.date.fromisoformat(job["ended_on"]) if job.get("ended_on") else None,
        monthly_wage=job.get("monthly_wage"),
        source=Source.COMPARE,
        source_ref=f"compare:{finding.pk}",
    )
    # The finding's scope was checked (staff of its area, or the system applying it automatically).
    create_record(
        actor,
        person,
        record,
        check_scope=False,
        status_source=SOURCE_COMPARE,
        message=f"数据比对新增就业记录：{record.employer_name}，{started.isoformat()} 入职",
    )
    return True


def _ledger_employer(model, name: str, credit_code: str):
    """The employer of the ledger a row names, as the verdicts find it (verdicts.Ledger): by credit code
    when the row gives one, else by a name only one employer has."""
    if credit_code:
        return model.objects.filter(credit_code=credit_code).first()
    found = list(model.objects.filter(name=name)[:2]) if name else []
    return found[0] if len(found) == 1 else None


def _end_employment(actor, finding: Finding, ending: dict, label: str) -> str:
    """End the record in force an ending finding names, on the day it proposes, through employment.actions
    (务工状态 derived again; records_changed sent, which raises 就业转失业 through the warnings). A record
    that is gone, already ended or started after that day is left as it is. Returns the outcome."""
    from bangfu.employment.actions import end_record
    from bangfu.employment.models import EmploymentRecord

    record = EmploymentRecord.objects.filter(pk=ending["record"], person_id=finding.person_id).first()
    if record is None:
        return "该就业记录已不存在，名册未修改"
    if record.ended_on is not None:
        return f"该就业记录已于 {record.ended_on.isoformat()} 结束，名册未修改"
    ended_on = dt.date.fromisoformat(ending["ended_on"])
    if ended_on < record.started_on:
        return f"该就业记录的入职日期（{record.started_on.isoformat()}）晚于离职日期，名册未修改"
    # The finding's scope was checked (staff of its area, or the system applying it automatically).
    where = f"第{finding.row_no}行" if finding.row_no else ""
    end_record(actor, record, ended_on, reason="", note=f"{label}{where}", check_scope=False)
    employer = record.employer_name or "单位不详"
    return (
        f"已结束就业记录：{employer}，{record.started_on.isoformat()} 入职，离职日期 {ended_on.isoformat()}"
    )


@transaction.atomic
def reject(actor, finding: Finding, note: str = "") -> Finding:
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _check_scope(actor, finding)
    if finding.status != Status.OPEN:
        return finding
    finding.status = Status.REJECTED
    finding.decided_by = actor if getattr(actor, "pk", None) else None
    finding.decided_at = timezone.now()
    finding.outcome = ("驳回：" + note.strip())[:500] if note.strip() else "驳回，名册未修改"
    finding.save(update_fields=["status", "decided_by", "decided_at", "outcome"])
    audit(Action.UPDATE, actor=actor, obj=finding, message=f"驳回比对结果：{finding.difference}"[:1000])
    return finding


def _pending(findings, accepting: bool):
    """The open findings of `findings` a decision of many takes. Accepting, not those a person checks one
    by one on their page (待核实, an identity to verify: they propose nothing, and 已核实 means looked at)."""
    pending = findings.filter(status=Status.OPEN)
    return pending.exclude(kind=Kind.AMBIGUOUS).exclude(change__in=CHECKED_ONLY) if accepting else pending


def decide_many(actor, findings, *, accepting: bool, note: str = "") -> int:
    """Accept or reject every open finding of `findings` (already scoped to the actor; accepting, not those
    checked one by one), each in its own transaction: one failure does not undo the others. Returns how
    many were decided."""
    count = 0
    for finding in _pending(findings, accepting).order_by("id").iterator():
        _decide(actor, finding, accepting, note)
        count += 1
    return count


def _decide(actor, finding: Finding, accepting: bool, note: str) -> None:
    if accepting:
        accept(actor, finding)
    else:
        reject(actor, finding, note)


# Deciding at most this much in the request (open findings, and the people of their fills: a village's
# fill is one finding for hundreds of people, each filled on their own); more goes to the background
# (BulkDecision): a province's first 社保 run leaves some 380,000 open findings and 3 million fill people.
BULK_IN_REQUEST = 300


def bulk_work(findings) -> int:
    """How much deciding the open findings of `findings` would be: the findings, their fills' people."""
    pending = findings.filter(status=Status.OPEN)
    fills = pending.filter(kind=Kind.FILL).values("pk")
    return pending.count() + FillPerson.objects.filter(finding__in=fills, excluded=False).count()


@transaction.atomic
def queue_bulk_decision(actor, findings, *, accepting: bool, note: str = "", filters: dict) -> BulkDecision:
    """Decide the open findings of `findings` (scoped to the actor, matched by the findings page's
    `filters`) in the background; those of later runs are left out (`last_id`)."""
    pending = _pending(findings, accepting)
    bulk = BulkDecision.objects.create(
        area=actor.area,
        user=actor,
        accepting=accepting,
        note=note.strip()[:200],
        filters={k: v for k, v in filters.items() if v not in (None, "")},
        last_id=pending.order_by("-id").values_list("id", flat=True).first() or 0,
        total=pending.count(),
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=bulk,
        message=f"批量{bulk.verb}比对结果（后台处理）：{bulk.total} 条，"
        f"筛选条件：{filters_shown(bulk.filters)}",
    )
    transaction.on_commit(lambda: _enqueue_bulk(bulk.pk))
    return bulk


def _enqueue_bulk(bulk_id: int) -> None:
    from bangfu.compare.tasks import decide_bulk_task

    decide_bulk_task.enqueue(bulk_id)


def bulk_findings(bulk: BulkDecision):
    """The findings a bulk decision still has to decide: open, matched by its filters, in its area and
    still in its user's (one moved or deactivated meanwhile decides nothing more), up to its last id."""
    scoped = Finding.objects.for_user(bulk.user).for_area(bulk.area)
    filterset = FindingFilter(bulk.filters, queryset=scoped)
    if not filterset.is_valid():  # a filter that no longer reads (a kind renamed): not "every finding"
        return Finding.objects.none()
    return _pending(filterset.qs, bulk.accepting).filter(id__lte=bulk.last_id).order_by("id")


BULK_PROGRESS_EVERY = 2.0  # seconds between progress writes


def run_bulk_decision(bulk: BulkDecision) -> BulkDecision:
    """Decide a queued bulk decision's findings one by one, its progress kept on it. A finding that fails
    is logged and counted (the first reasons kept for the page); the others go on. What a stopped one
    (the worker killed) left open, a bulk decision submitted again takes."""
    bulk.status, bulk.started_at = RunStatus.RUNNING, timezone.now()
    bulk.save(update_fields=["status", "started_at"])
    actor, reasons, saved = bulk.user, [], time.monotonic()
    for finding in bulk_findings(bulk).iterator(chunk_size=500):
        try:
            _decide(actor, finding, bulk.accepting, bulk.note)
            bulk.done += 1
        except Exception as exc:  # one finding's failure does not stop the others; the page says how many
            logger.exception("bulk decision %s: finding %s failed", bulk.pk, finding.pk)
            bulk.failed += 1
            if len(reasons) < 5:
                reasons.append(f"结果 {finding.pk}：{_reason(exc)}")
        if time.monotonic() - saved >= BULK_PROGRESS_EVERY:
            bulk.save(update_fields=["done", "failed"])
            saved = time.monotonic()
    bulk.status, bulk.finished_at = RunStatus.DONE, timezone.now()
    bulk.message = (
        f"已{bulk.verb} {bulk.done} 条"
        + (
            f"，{bulk.failed} 条未能处理（{'；'.join(reasons)}{'等' if bulk.failed > len(reasons) else ''}）"
            if bulk.failed
            else ""
        )
        + "。"
    )
    bulk.save(update_fields=["done", "failed", "status", "finished_at", "message"])
    return bulk


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or "无权处理"
    return "系统错误，请联系管理员查看日志"
