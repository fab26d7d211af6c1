"""Receiving the entries a phone recorded offline: each applied once, through the actions of tracking,
employment and posts, or refused with its reason in Chinese.

`receive` is the one write. An entry's idempotency key is kept on `Entry` (unique per user): an entry sent
again answers with its first result. The entry is applied and kept in one transaction with its audit, so
it is never half applied; one that can no longer be applied — the person is no longer in the officer's
area, the record the phone saw has changed since — is kept as 已退回 with the reason, for the phone to show.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.employment.models import EmploymentRecord, EndReason, Place, Source
from bangfu.field.models import Entry, EntryKind, EntryStatus
from bangfu.posts.models import Duty
from bangfu.registry.models import Person
from bangfu.tracking.models import Visit, VisitMethod, VisitResult

NOT_IN_SCOPE = "找不到此人，或此人已不在您的管辖区域内（可能已迁出），该记录未登记。"
MALFORMED = "记录内容不完整或格式不正确，未登记。"


class Refused(Exception):
    """An entry that cannot be applied, with the reason the officer reads."""


class Malformed(Exception):
    """A request item that is not an entry at all (no usable key): answered, never kept."""


@dataclass
class Received:
    entry: Entry
    duplicate: bool


def version(value: dt.datetime | None) -> str:
    """How a record's version (its updated time) travels to the phone and back: compared as text."""
    return value.isoformat() if value else ""


def receive_all(user, items: list) -> list[dict]:
    """Apply the entries of one sync, each in a savepoint (one refused leaves the others applied), all
    committed together, and answer each: its first result, the same however often it is sent. If the
    request dies before the commit, nothing of it is kept and the phone, unanswered, sends it all again.
    What listens to visits and employment records (the warnings' rescan, the figures) hears once for the
    sync, after the commit (`visits_recorded`, `records_changed`), as for an import."""
    answers, visited, employed = [], set(), set()
    with transaction.atomic():
        for item in items:
            if not isinstance(item, dict):
                continue
            try:
                received = receive(user, item)
            except Malformed as error:
                key = str(item.get("key", ""))
                answers.append({"key": key, "status": EntryStatus.REJECTED, "reason": str(error)})
                continue
            entry = received.entry
            if not received.duplicate and entry.status == EntryStatus.APPLIED:
                if entry.kind == EntryKind.VISIT:
                    visited.add(entry.person_id)
                elif entry.kind in (EntryKind.EMPLOYMENT_START, EntryKind.EMPLOYMENT_END):
                    employed.add(entry.person_id)
            answers.append(entry.answer(duplicate=received.duplicate))
    if employed:  # the registry's status is already derived; what listens (warnings, figures) hears once
        from bangfu.employment.signals import records_changed

        records_changed.send_robust(sender=EmploymentRecord, person_ids=sorted(employed))
    if visited:
        from bangfu.tracking import signals

        signals.visits_recorded.send_robust(sender=Visit, person_ids=sorted(visited))
    return answers


def receive(user, item: dict, *, received_at: dt.datetime | None = None) -> Received:
    """Apply one entry from `user`'s phone, once. `item`: key, kind, person, recorded_at, data."""
    try:
        key = uuid.UUID(str(item.get("key", "")))
    except ValueError as error:
        raise Malformed(MALFORMED) from error
    found = Entry.objects.filter(user=user, key=key).first()
    if found is not None:
        return Received(found, duplicate=True)
    try:
        with transaction.atomic():
            entry = _apply(user, key, item, received_at or timezone.now())
    except IntegrityError:
        # The same key arrived twice at once (two tabs, a retry racing its original): the first one kept
        # answers; this one wrote nothing.
        found = Entry.objects.filter(user=user, key=key).first()
        if found is None:
            raise
        return Received(found, duplicate=True)
    return Received(entry, duplicate=False)


def _apply(user, key: uuid.UUID, item: dict, received_at: dt.datetime) -> Entry:
    kind = item.get("kind")
    data = item.get("data") if isinstance(item.get("data"), dict) else {}
    recorded_at = parse_datetime(str(item.get("recorded_at") or "")) or received_at
    if timezone.is_naive(recorded_at):
        recorded_at = timezone.make_aware(recorded_at)
    person = _person(user, item.get("person"))
    entry = Entry(
        user=user, key=key, kind=kind if kind in EntryKind.values else "", person=person,
        area_id=person.area_id if person else user.area_id, data=_kept(data),
        recorded_at=recorded_at, received_at=received_at,
    )  # fmt: skip
    try:
        if kind not in APPLY:
            raise Refused(MALFORMED)
        if person is None:
            raise Refused(NOT_IN_SCOPE)
        with transaction.atomic():  # a savepoint: a refused entry leaves nothing of itself behind
            target = APPLY[kind](user, person, data, entry)
    except Refused as refused:
        entry.status, entry.reason = EntryStatus.REJECTED, str(refused)[:300]
    except (ValidationError, PermissionDenied) as error:
        entry.status, entry.reason = EntryStatus.REJECTED, _reason(error)[:300]
    else:
        entry.status, entry.target = EntryStatus.APPLIED, f"{target._meta.label_lower}:{target.pk}"
    entry.save()
    phone_time, server_time = timezone.localtime(recorded_at), timezone.localtime(received_at)
    when = f"手机录入于 {phone_time:%Y-%m-%d %H:%M}，收到于 {server_time:%Y-%m-%d %H:%M}"
    who = person.name if person else "（不在管辖区域内的人员）"
    if entry.status == EntryStatus.APPLIED:
        message = f"离线录入（{entry.get_kind_display()}）：{who}，{when}"
    else:
        message = f"离线录入未登记（{entry.get_kind_display() or kind}）：{who}，{when}；{entry.reason}"
    audit(Action.CREATE, actor=user, obj=entry, message=message)
    return entry


def _person(user, value) -> Person | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return Person.objects.for_user(user).filter(pk=pk).first()


def _kept(data: dict) -> dict:
    """What is kept of the entry's content: its own fields, short, nothing else the phone sent."""
    return {str(k)[:40]: str(v)[:300] for k, v in list(data.items())[:12]}


def _reason(error) -> str:
    messages = getattr(error, "messages", None) or [str(error) or "无权登记该记录。"]
    return "；".join(str(m) for m in messages)


def _date(data: dict, name: str, label: str) -> dt.date:
    value = parse_date(str(data.get(name) or ""))
    if value is None:
        raise Refused(f"请填写{label}。")
    return value


def _int(data: dict, name: str, label: str, *, required: bool = True) -> int | None:
    raw = str(data.get(name) or "").strip()
    if not raw and not required:
        return None
    if not raw.isdigit():
        raise Refused(f"{label}应为整数。")
    return int(raw)


# --- the four kinds ---------------------------------------------------------------------------------------


def _visit(user, person: Person, data: dict, entry: Entry):
    from bangfu.tracking.actions import save_visit

    visited_on = _date(data, "visited_on", "回访日期")
    method, result = str(data.get("method", "")), str(data.get("result", ""))
    note = str(data.get("note", "")).strip()[:300]
    if method not in VisitMethod.values or result not in VisitResult.values:
        raise Refused(MALFORMED)
    # The visit key is (person, day, method): one recorded by someone else meanwhile would be overwritten.
    other = Visit.objects.filter(person=person, visited_on=visited_on, method=method).first()
    if other is not None and (other.result, other.note) != (result, note):
        raise Refused(
            f"{person.name} {visited_on:%Y-%m-%d} 的{method}回访已由他人登记（{other.result}），"
            "请核对后重新填写。"
        )
    # The person is in the officer's scope (`_person`); `visits_recorded` goes out once for the whole sync
    # (`receive_all`), as an import's does, not once per visit: the warning rescan is set-based.
    return save_visit(user, person, visited_on=visited_on, method=method, result=result, note=note).visit


def _employment_start(user, person: Person, data: dict, entry: Entry):
    from bangfu.employment.actions import create_record

    started_on = _date(data, "started_on", "入职日期")
    if started_on > timezone.localdate():
        raise Refused("入职日期不能晚于今天。")
    employer = str(data.get("employer_name", "")).strip()[:100]
    if not employer:
        raise Refused("请填写单位名称。")
    place = str(data.get("place", ""))
    if place and place not in Place.values:
        raise Refused(MALFORMED)
    same = EmploymentRecord.objects.filter(person=person, started_on=started_on, employer_name=employer)
    if same.exists():
        raise Refused(f"{person.name} 在{employer}自 {started_on:%Y-%m-%d} 的就业记录已登记过，未重复登记。")
    record = EmploymentRecord(
        employer_name=employer, started_on=started_on, place=place,
        monthly_wage=_int(data, "monthly_wage", "月工资", required=False),
        source=Source.MANUAL, source_ref=f"offline:{entry.key.hex}",
    )  # fmt: skip
    message = f"登记就业记录（离线录入）：{person.name}，{employer}"
    return create_record(user, person, record, message=message, notify=False)


def _employment_end(user, person: Person, data: dict, entry: Entry):
    from bangfu.employment.actions import end_record

    ended_on = _date(data, "ended_on", "离职日期")
    if ended_on > timezone.localdate():
        raise Refused("离职日期不能晚于今天。")
    reason = str(data.get("reason", ""))
    if reason and reason not in EndReason.values:
        raise Refused(MALFORMED)
    record_id = _int(data, "record", "就业记录")
    record = EmploymentRecord.objects.for_user(user).filter(pk=record_id, person=person).first()
    if record is None:
        raise Refused("该就业记录已不在您的管辖区域内，未登记。")
    if record.ended_on is not None:
        raise Refused(f"该就业记录在您离线期间已结束（离职日期 {record.ended_on:%Y-%m-%d}），未再次登记。")
    if version(record.updated_at) != str(data.get("seen", "")):
        raise Refused("该就业记录在您离线期间已被他人修改，请联网后核对并重新填写。")
    return end_record(user, record, ended_on, reason=reason, note="离线录入", notify=False)


def _duty(user, person: Person, data: dict, entry: Entry):
    from bangfu.posts.actions import save_duty

    month = str(data.get("month", ""))
    days = _int(data, "days_on_duty", "在岗天数")
    due = _int(data, "days_due", "应出勤天数")
    existing = Duty.objects.filter(person=person, month=month).first()
    if existing is not None and version(existing.updated_at) != str(data.get("seen", "")):
        raise Refused(
            f"{person.name} {month} 的出勤在您离线期间已由他人填报（在岗 {existing.days_on_duty}/"
            f"{existing.days_due} 天），请核对后重新填写。"
        )
    try:
        duty, _ = save_duty(user, person, month, days, due)
    except ValueError as error:  # not a month written YYYY-MM
        raise Refused(MALFORMED) from error
    return duty


APPLY = {
    EntryKind.VISIT: _visit,
    EntryKind.EMPLOYMENT_START: _employment_start,
    EntryKind.EMPLOYMENT_END: _employment_end,
    EntryKind.DUTY: _duty,
}
