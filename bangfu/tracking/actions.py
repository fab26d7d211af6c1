"""Writes of tracking (三线跟踪), each in one transaction with its audit entry.

Follow-up visits (跟踪回访, EXCHANGE §6): `record_visit` saves a visit keyed by (person, day, method) —
recording it again updates it — and applies its outcome to the records: 已离职 and 返乡 end the records in
force that day through `employment.actions.end_record`; 联系不上 puts the person on the 联系不上 list, and
a later visit that reaches them takes them off it. The 联系不上 list can also be kept by hand
(`flag_unreachable`, `clear_unreachable`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.employment.models import EmploymentRecord, EndReason
from bangfu.registry.models import Person
from bangfu.tracking import signals
from bangfu.tracking.models import Unreachable, Visit, VisitMethod, VisitResult, VisitSource

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
    """Save one visit by `actor` (who must see the person) and apply its outcome."""
    if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
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
