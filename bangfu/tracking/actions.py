"""Writes of tracking (三线跟踪), each in one transaction with its audit entry.

Follow-up visits (跟踪回访, EXCHANGE §6): `record_visit` saves a visit keyed by (person, day, method) —
recording it again updates it — and applies its outcome to the records: 已离职 and 返乡 end the records in
force that day through `employment.actions.end_record`; 联系不上 puts the person on the 联系不上 list, and
a later visit that reaches them takes them off it. The 联系不上 list can also be kept by hand
(`flag_unreachable`, `clear_unreachable`).

Warnings as work (预警): who answers for a person or household (帮扶责任人), taking a warning in hand,
assigning it, recording the help given, closing it with a reason; notices only once it commits. Raising
and clearing are the scan's (tracking/warnings.py).

The receiving area (输入地): `confirm_employment` keeps its confirmations; its visits go through
`record_visit` with source 输入地.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import Kind, User
from bangfu.areas.scope import LEVEL_DIGITS
from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.employment.models import EmploymentRecord, EndReason
from bangfu.notices.actions import notify_users
from bangfu.referrals.models import Referral, ServiceKind, ServiceRecord
from bangfu.registry.models import Household, Person
from bangfu.tracking import signals
from bangfu.tracking.models import (
    OPEN_STATUSES,
    Confirmation,
    ConfirmationOutcome,
    HelpKind,
    Responsibility,
    Unreachable,
    Visit,
    VisitMethod,
    VisitResult,
    VisitSource,
    Warning,
    WarningHelp,
    WarningStatus,
)

NOT_YOURS = "此人不在您的管辖区域内。"
REACHED = frozenset(VisitResult.values) - {VisitResult.UNREACHABLE}
# 离职原因 of a record a visit ends (EXCHANGE §6).
END_REASONS = {VisitResult.LEFT: EndReason.OTHER, VisitResult.RETURNED: EndReason.RETURNED}
VISIT_FIELDS = ["result", "note", "source", "by"]


@dataclass
class VisitOutcome:
    """What recording a visit did, for the page and the import's counts."""

    visit: Visit
    created: bool
    changed: bool  # False: the same visit recorded again, nothing written
    ended: list[EmploymentRecord] = field(default_factory=list)
    flagged: Unreachable | None = None
    cleared: Unreachable | None = None
    # 在岗, but no record in force on the day: the visit says so; a record needs its employer and work
    # place, which a visit does not give, so staff are offered the record form instead of a guessed record.
    unrecorded_work: bool = False


def check_visit(person: Person, visited_on: dt.date, method: str, result: str, *, today: dt.date) -> None:
    """The checks every visit passes, from the form and from a file (ValidationError in Chinese)."""
    if method not in VisitMethod.values:
        raise ValidationError(f"回访方式只能是：{'、'.join(VisitMethod.values)}")
    if result not in VisitResult.values:
        raise ValidationError(f"回访结果只能是：{'、'.join(VisitResult.values)}")
    if visited_on > today:
        raise ValidationError("回访日期不能晚于今天。")
    if person.is_deceased and person.died_on and visited_on > person.died_on:
        raise ValidationError(f"该人员已于 {person.died_on:%Y-%m-%d} 去世，回访日期不能晚于死亡日期。")


@transaction.atomic
def record_visit(
    actor,
    person: Person,
    *,
    visited_on: dt.date,
    method: str,
    result: str,
    note: str = "",
    source: str = VisitSource.MANUAL,
) -> VisitOutcome:
    """Save one visit by `actor` (who must see the person) and apply its outcome. A visit of source 输入地
    is the receiving area's: the actor need not see the person, only a record of theirs in force that
    works in the actor's subtree (`EmploymentRecord.objects.for_receiving_user`)."""
    if source == VisitSource.RECEIVING:
        allowed = EmploymentRecord.objects.for_receiving_user(actor).filter(person=person).exists()
    else:
        allowed = Person.objects.for_user(actor).filter(pk=person.pk).exists()
    if not allowed:
        raise PermissionDenied(NOT_YOURS)
    outcome = save_visit(
        actor, person, visited_on=visited_on, method=method, result=result, note=note, source=source
    )
    if outcome.changed:
        person_ids = [person.pk]
        transaction.on_commit(lambda: signals.visits_recorded.send(sender=Visit, person_ids=person_ids))
    return outcome


def save_visit(
    actor,
    person: Person,
    *,
    visited_on: dt.date,
    method: str,
    result: str,
    note: str = "",
    source: str = VisitSource.MANUAL,
    check_scope: bool = True,
    today: dt.date | None = None,
) -> VisitOutcome:
    """The write itself, inside the caller's transaction; the caller has checked the person is in scope
    (the form through `record_visit`, an import through its area). `check_scope=False` is for an import run
    from the command line, whose rights are the area's and not a user's."""
    check_visit(person, visited_on, method, result, today=today or timezone.localdate())
    note = (note or "").strip()[:300]
    by = actor if getattr(actor, "pk", None) else None
    visit = (
        Visit.objects.select_for_update().filter(person=person, visited_on=visited_on, method=method).first()
    )
    if visit is not None:
        visit.person = person
    if visit is None:
        visit = Visit.objects.create(
            person=person, area_id=person.area_id, visited_on=visited_on, method=method, result=result,
            note=note, source=source, by=by,
        )  # fmt: skip
        audit(
            Action.CREATE,
            actor=actor,
            obj=visit,
            message=f"登记跟踪回访：{person.name}，{visited_on:%Y-%m-%d} {method}，{result}",
            after=snapshot(visit),
        )
        created = True
    else:
        if visit.result == result and visit.note == note:
            return VisitOutcome(visit, created=False, changed=False)
        before = snapshot(visit, VISIT_FIELDS)
        visit.result, visit.note, visit.source, visit.by = result, note, source, by
        visit.save(update_fields=[*VISIT_FIELDS, "updated_at"])
        audit(
            Action.UPDATE,
            actor=actor,
            obj=visit,
            message=f"更新跟踪回访：{person.name}，{visited_on:%Y-%m-%d} {method}，{result}",
            before=before,
            after=snapshot(visit, VISIT_FIELDS),
        )
        created = False
    outcome = apply_outcomes(actor, [visit], check_scope=check_scope)[visit.pk]
    outcome.created = created
    return outcome


def apply_outcomes(actor, visits: list[Visit], *, check_scope: bool = True) -> dict[int, VisitOutcome]:
    """What the visits' results mean for the records (EXCHANGE §6) and the 联系不上 list, for any number
    of visits already saved (the form's one, an import's many): a few queries per call, and a write only
    where something changes. Visits are taken in date order, so a file holding a person's 联系不上 and a
    later visit that reached them ends as the later one says. Returns each visit's effects by its id."""
    from bangfu.employment.actions import end_record

    effects = {v.pk: VisitOutcome(v, created=False, changed=True) for v in visits}
    ordered = sorted(visits, key=lambda v: (v.visited_on, v.pk))
    person_ids = sorted({v.person_id for v in visits})

    # 已离职 and 返乡 end the records in force that day that have no 离职日期 yet.
    ending = [v for v in ordered if v.result in END_REASONS]
    if ending:
        open_records: dict[int, list[EmploymentRecord]] = {}
        for record in EmploymentRecord.objects.filter(
            person_id__in={v.person_id for v in ending}, ended_on__isnull=True
        ).order_by("started_on", "pk"):
            open_records.setdefault(record.person_id, []).append(record)
        for visit in ending:
            still_open = []
            for record in open_records.get(visit.person_id, []):
                if record.started_on > visit.visited_on:
                    still_open.append(record)
                    continue
                ended = end_record(
                    actor,
                    record,
                    visit.visited_on,
                    reason=END_REASONS[visit.result],
                    note=f"跟踪回访（{visit.method}）：{visit.result}",
                    check_scope=check_scope,
                )
                effects[visit.pk].ended.append(ended)
            open_records[visit.person_id] = still_open

    # 在岗 with no record in force that day: said, not guessed (see VisitOutcome.unrecorded_work).
    at_work = [v for v in ordered if v.result == VisitResult.AT_WORK]
    if at_work:
        spells: dict[int, list[tuple]] = {}
        for person_id, started, ended in EmploymentRecord.objects.filter(
            person_id__in={v.person_id for v in at_work}
        ).values_list("person_id", "started_on", "ended_on"):
            spells.setdefault(person_id, []).append((started, ended))
        for visit in at_work:
            effects[visit.pk].unrecorded_work = not any(
                started <= visit.visited_on and (ended is None or ended >= visit.visited_on)
                for started, ended in spells.get(visit.person_id, [])
            )

    # 联系不上 puts the person on the list unless a visit of that day or later reached them; a visit
    # that reached them takes them off a list they were put on that day or before.
    current = {
        flag.person_id: flag
        for flag in Unreachable.objects.select_for_update()
        .filter(person_id__in=person_ids, cleared_at__isnull=True)
        .select_related("person")
    }
    last_reached = dict(
        Visit.objects.filter(person_id__in=person_ids, result__in=REACHED)
        .values("person_id")
        .annotate(day=Max("visited_on"))
        .values_list("person_id", "day")
    )
    for visit in ordered:
        flag = current.get(visit.person_id)
        if visit.result == VisitResult.UNREACHABLE:
            reached = last_reached.get(visit.person_id)
            if flag is None and (reached is None or reached < visit.visited_on):
                note = visit.note or f"{visit.visited_on:%Y-%m-%d} {visit.method}回访联系不上"
                flag = _flag(actor, visit.person, note=note, on=visit.visited_on, visit=visit)
                current[visit.person_id] = effects[visit.pk].flagged = flag
        elif flag is not None and flag.flagged_on <= visit.visited_on:
            note = f"{visit.visited_on:%Y-%m-%d} {visit.method}回访联系上（{visit.result}）"
            effects[visit.pk].cleared = _clear(actor, flag, note=note, visit=visit)
            del current[visit.person_id]
    return effects


# --------------------------------------------------------------------------------------------------
# The 联系不上 list


@transaction.atomic
def flag_unreachable(actor, person: Person, note: str = "", on: dt.date | None = None) -> Unreachable:
    """Put `person` on the 联系不上 list by hand (once: a current flag is returned as it is)."""
    if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(NOT_YOURS)
    current = Unreachable.objects.select_for_update().filter(person=person, cleared_at__isnull=True).first()
    if current is not None:
        return current
    return _flag(actor, person, note=note, on=on or timezone.localdate())


@transaction.atomic
def clear_unreachable(actor, flag: Unreachable, note: str = "") -> Unreachable:
    """Take a person off the 联系不上 list by hand; the row stays, with who and why."""
    flag = Unreachable.objects.select_for_update().select_related("person").get(pk=flag.pk)
    if not Unreachable.objects.for_user(actor).filter(pk=flag.pk).exists():
        raise PermissionDenied(NOT_YOURS)
    if flag.cleared_at is not None:
        return flag
    return _clear(actor, flag, note=note)


def _flag(actor, person: Person, *, note: str, on: dt.date, visit: Visit | None = None) -> Unreachable:
    flag = Unreachable.objects.create(
        person=person,
        area_id=person.area_id,
        flagged_on=on,
        flagged_by=actor if getattr(actor, "pk", None) else None,
        note=(note or "")[:200],
        visit=visit,
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=flag,
        message=f"标记联系不上：{person.name}" + (f"（{note}）" if note else ""),
    )
    return flag


def _clear(actor, flag: Unreachable, *, note: str, visit: Visit | None = None) -> Unreachable:
    flag.cleared_at = timezone.now()
    flag.cleared_by = actor if getattr(actor, "pk", None) else None
    flag.clear_note = (note or "")[:200]
    flag.cleared_by_visit = visit
    flag.save(update_fields=["cleared_at", "cleared_by", "clear_note", "cleared_by_visit"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=flag,
        message=f"取消联系不上标记：{flag.person.name}" + (f"（{note}）" if note else ""),
    )
    return flag


# --- warnings as work -----------------------------------------------------------------------------------

WORK_FIELDS = ["status", "assignee", "due_on", "ended_on", "ended_by", "end_reason"]


def ancestor_codes(code: str) -> list[str]:
    """The 12-digit codes of an area and every area above it (village → township → … → nation)."""
    return sorted({code[:digits].ljust(12, "0") for digits in LEVEL_DIGITS.values()})


def assignable_users(actor, area_code: str):
    """Staff who may answer for something in the village `area_code`: active staff accounts of that village
    or an area above it, among the users the actor can see (their own subtree)."""
    return (
        User.objects.for_user(actor)
        .filter(kind=Kind.STAFF, is_active=True, area_id__in=ancestor_codes(area_code))
        .select_related("area")
        .order_by("-area_id", "name", "username")
    )


def _locked(actor, warning: Warning) -> Warning:
    found = Warning.objects.for_user(actor).select_for_update().filter(pk=warning.pk).first()
    if found is None:
        raise PermissionDenied("该预警不在您的管辖区域内。")
    return found


def _check_open(warning: Warning) -> None:
    if warning.status not in OPEN_STATUSES:
        raise ValidationError(f"该预警已{warning.status}，不能再处理。")


def _link(warning: Warning) -> str:
    return reverse("tracking:warning_detail", args=[warning.pk])


def _subject(warning: Warning) -> str:
    return warning.person.name if warning.person_id else f"户 {warning.household.number}"


@transaction.atomic
def assign_warning(actor, warning: Warning, assignee: User | None) -> Warning:
    """Give the warning to `assignee` (None: back to the village's staff); they are told."""
    warning = _locked(actor, warning)
    _check_open(warning)
    if assignee is not None and not assignable_users(actor, warning.area_id).filter(pk=assignee.pk).exists():
        raise ValidationError("该用户不能负责此预警（须为本村或上级区域的在用工作人员账号）。")
    if warning.assignee_id == (assignee.pk if assignee else None):
        return warning
    before = snapshot(warning, WORK_FIELDS)
    warning.assignee = assignee
    warning.save(update_fields=["assignee", "updated_at"])
    who = assignee.display_name if assignee else "本村工作人员"
    audit(
        Action.UPDATE,
        actor=actor,
        obj=warning,
        message=f"指定预警责任人：{warning.kind}（{_subject(warning)}）→ {who}",
        before=before,
        after=snapshot(warning, WORK_FIELDS),
    )
    if assignee is not None and assignee.pk != actor.pk:
        notify_users(
            [assignee],
            title=f"请处理预警：{warning.kind}（{_subject(warning)}）",
            body=f"{warning.detail}。处理期限 {warning.due_on or '—'}。",
            link=_link(warning),
        )
    return warning


@transaction.atomic
def start_warning(actor, warning: Warning) -> Warning:
    """待处理 → 处理中: someone has taken it up."""
    warning = _locked(actor, warning)
    _check_open(warning)
    if warning.status == WarningStatus.IN_HAND:
        return warning
    before = snapshot(warning, WORK_FIELDS)
    warning.status = WarningStatus.IN_HAND
    if warning.assignee_id is None:
        warning.assignee = actor
    warning.save(update_fields=["status", "assignee", "updated_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=warning,
        message=f"开始处理预警：{warning.kind}（{_subject(warning)}）",
        before=before,
        after=snapshot(warning, WORK_FIELDS),
    )
    return warning


@transaction.atomic
def add_help(
    actor,
    warning: Warning,
    *,
    kind: str,
    on: date | None = None,
    note: str = "",
    person: Person | None = None,
    referral: Referral | None = None,
) -> WarningHelp:
    """Record help given for the warning: a referral of the person (推荐岗位), career guidance or a training
    notice (a 311 service record is made for the person), or another kind in words. The warning is then
    处理中."""
    warning = _locked(actor, warning)
    _check_open(warning)
    on = on or timezone.localdate()
    if kind not in HelpKind.values:
        raise ValidationError(f"没有“{kind}”这种帮扶措施。")
    if on > timezone.localdate():
        raise ValidationError("日期不能晚于今天。")
    if on < warning.raised_on:
        raise ValidationError("日期不能早于预警日期。")
    note = note.strip()
    # Whom the help was for: the person warned about, or a member of the household warned about.
    if warning.person_id:
        person = warning.person
    elif person is not None and person.household_id != warning.household_id:
        raise ValidationError("所选人员不是该户的成员。")
    service = None
    if kind == HelpKind.REFERRAL:
        if referral is None:
            raise ValidationError("请选择为其推荐的岗位（推荐记录）。")
        if (
            not Referral.objects.for_user(actor)
            .filter(pk=referral.pk, person__household=warning.household_id)
            .exists()
        ):
            raise ValidationError("所选推荐不属于该预警的人员。")
        person = referral.person
    elif kind in (HelpKind.GUIDANCE, HelpKind.TRAINING):
        if person is None:
            raise ValidationError("请选择接受服务的家庭成员。")
        service = ServiceRecord.objects.create(
            person=person, area_id=person.area_id, kind=ServiceKind(kind), date=on, by=actor, note=note[:300]
        )
        audit(Action.CREATE, actor=actor, obj=service, message=f"登记{kind}：{person.name}（预警帮扶）")
    elif not note:
        raise ValidationError("请说明采取了什么帮扶措施。")
    help_given = WarningHelp.objects.create(
        warning=warning, kind=kind, on=on, note=note[:300], referral=referral, service=service, by=actor
    )
    if warning.status == WarningStatus.OPEN:
        warning.status = WarningStatus.IN_HAND
        if warning.assignee_id is None:
            warning.assignee = actor
        warning.save(update_fields=["status", "assignee", "updated_at"])
    audit(
        Action.CREATE,
        actor=actor,
        obj=warning,
        message=f"登记预警帮扶措施：{warning.kind}（{_subject(warning)}）{kind}"
        + (f"：{note}" if note else ""),
        after={"kind": kind, "on": on.isoformat(), "note": note, "referral": referral and referral.pk},
    )
    return help_given


@transaction.atomic
def close_warning(actor, warning: Warning, reason: str) -> Warning:
    """Staff close a warning with a reason; it is never raised again for the same episode."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("关闭预警须说明原因。")
    warning = _locked(actor, warning)
    _check_open(warning)
    before = snapshot(warning, WORK_FIELDS)
    warning.status = WarningStatus.CLOSED
    warning.ended_on = timezone.localdate()
    warning.ended_by = actor
    warning.end_reason = reason[:200]
    warning.save(update_fields=["status", "ended_on", "ended_by", "end_reason", "updated_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=warning,
        message=f"关闭预警：{warning.kind}（{_subject(warning)}），原因：{reason}",
        before=before,
        after=snapshot(warning, WORK_FIELDS),
    )
    return warning


# --- 帮扶责任人 ---------------------------------------------------------------------------------------


def current_responsibility(*, person: Person | None = None, household: Household | None = None):
    query = Responsibility.objects.filter(until__isnull=True).select_related("user", "user__area")
    return (
        query.filter(person=person).first()
        if person is not None
        else query.filter(household=household).first()
    )


@transaction.atomic
def set_responsible(
    actor, *, user: User | None, person: Person | None = None, household: Household | None = None
) -> Responsibility | None:
    """Make `user` the 帮扶责任人 of a person or a household (None: nobody; a household's then answers
    for the person). The previous one's assignment ends today. The subject's open warnings pass to the
    new one — a household's also those of its members without one of their own — and they are told."""
    if (person is None) == (household is None):
        raise ValueError("person or household")
    subject = person or household
    scoped = (Person if person is not None else Household).objects.for_user(actor)
    subject = scoped.select_for_update().filter(pk=subject.pk).first()
    if subject is None:
        raise PermissionDenied("该人员或户不在您的管辖区域内。")
    if user is not None and not assignable_users(actor, subject.area_id).filter(pk=user.pk).exists():
        raise ValidationError("帮扶责任人须为本村或上级区域的在用工作人员账号。")
    key = {"person": subject} if person is not None else {"household": subject}
    current = current_responsibility(**key)
    if (current.user_id if current else None) == (user.pk if user else None):
        return current
    today = timezone.localdate()
    if current is not None:
        current.until = today
        current.save(update_fields=["until"])
    made = None
    if user is not None:
        made = Responsibility.objects.create(
            **key, area_id=subject.area_id, user=user, since=today, assigned_by=actor
        )
    # The open warnings that follow this assignment.
    open_warnings = Warning.objects.filter(status__in=OPEN_STATUSES)
    if person is not None:
        affected = open_warnings.filter(person=subject)
        fallback = current_responsibility(household=subject.household)
        new_assignee = user.pk if user else (fallback.user_id if fallback else None)
    else:
        own = Responsibility.objects.filter(until__isnull=True, person__household=subject).values("person_id")
        affected = open_warnings.filter(household=subject).filter(Q(person__isnull=True) | ~Q(person__in=own))
        new_assignee = user.pk if user else None
    moved = affected.exclude(assignee_id=new_assignee).update(
        assignee_id=new_assignee, updated_at=timezone.now()
    )
    name = subject.name if person is not None else f"户 {subject.number}"
    audit(
        Action.UPDATE,
        actor=actor,
        obj=made or current,
        area_code=subject.area_id,
        message=f"指定帮扶责任人：{name} → {user.display_name if user else '（无）'}"
        + (f"；{moved} 条未处理预警随之转交" if moved else ""),
        before={"user": current.user_id if current else None},
        after={"user": user.pk if user else None, "warnings_moved": moved},
    )
    if user is not None and user.pk != actor.pk:
        notify_users(
            [user],
            title=f"您已被指定为{name}的帮扶责任人",
            body=f"有 {moved} 条未处理预警转交给您。" if moved else "",
            link=reverse("tracking:warning_list") + "?assignee=me",
        )
    return made


# --- the receiving area (输入地) ----------------------------------------------------------------------------

NOT_RECEIVING = "该就业记录不在您辖区内的在岗记录中。"


@transaction.atomic
def confirm_employment(
    actor,
    record: EmploymentRecord,
    *,
    on: dt.date,
    outcome: str,
    ended_on: dt.date | None = None,
    reason: str = "",
    note: str = "",
) -> Confirmation:
    """Staff of the area where `record` says the person works confirm it (在岗) or its end (已离职, ended
    through `employment.actions.end_record` on `ended_on` with 离职原因 `reason`). The confirmation is kept
    with the person's home village, so the home county sees who confirmed what."""
    from bangfu.employment.actions import end_record

    if not EmploymentRecord.objects.for_receiving_user(actor).filter(pk=record.pk).exists():
        raise PermissionDenied(NOT_RECEIVING)
    record = EmploymentRecord.objects.select_related("person").get(pk=record.pk)
    today = timezone.localdate()
    if outcome not in ConfirmationOutcome.values:
        raise ValidationError(f"确认结果只能是：{'、'.join(ConfirmationOutcome.labels)}。")
    if on > today:
        raise ValidationError("确认日期不能晚于今天。")
    note = (note or "").strip()[:300]
    if outcome == ConfirmationOutcome.ENDED:
        if ended_on is None:
            raise ValidationError("确认离职须填写离职日期。")
        if ended_on > today:
            raise ValidationError("离职日期不能晚于今天。")
        if reason and reason not in EndReason.values:
            raise ValidationError(f"离职原因只能是：{'、'.join(EndReason.values)}。")
        end_record(actor, record, ended_on, reason=reason, note=f"输入地确认（{actor.area.name}）")
    else:
        ended_on = None
    confirmation = Confirmation.objects.create(
        record=record, person=record.person, area_id=record.person.area_id, confirmer_area=actor.area,
        by=actor, on=on, outcome=outcome, ended_on=ended_on, note=note,
    )  # fmt: skip
    audit(
        Action.CREATE,
        actor=actor,
        obj=confirmation,
        message=f"输入地{confirmation.get_outcome_display()}：{record.person.name}，{record.employer_name}"
        f"（{actor.area.name}）",
        after=snapshot(confirmation),
    )
    return confirmation
