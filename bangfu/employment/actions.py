"""Employment-record writes: record a spell of work, end it, and keep the registry's 务工状态 and
务工时间(月) derived from the records (employment/status.py). Every path that changes a record — the hand
form, a referral hire, a comparison accepted, a visit, an import — goes through here, so the registry
and the records never disagree. Each write is one transaction with its audit events; the
`records_changed` signal goes out on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.employment import channel
from bangfu.employment import status as derivation
from bangfu.employment.models import EmploymentRecord, EndReason, Source
from bangfu.employment.signals import records_changed
from bangfu.registry.models import Change, Person

SOURCE_RECORDS = "就业记录"  # registry Change.source of a status derived after a record changed
REFRESH_CHUNK = 50_000  # people per statement of a set-based refresh
AUDIT_EACH_UP_TO = 20  # a refresh changing more people writes one summary audit event instead


def channel_for(
    home_code: str, *, employer=None, work_code: str = "", on: dt.date | None = None, default: str = ""
) -> str:
    """就业渠道 of one record as the data say it (the rule: employment/channel.py, shared with the
    employment import): 扶贫车间 at a workshop employer; 有组织输出 outside the home county at a 劳务协作基地
    or in the receiving area of a labor cooperation of the home area in force on `on` (today);
    otherwise `default` (推荐就业 for a referral hire)."""
    terms = channel.cooperation_terms() if channel.outside_home_county(home_code, work_code) else []
    kind = getattr(employer, "kind", "") or ""
    return channel.channel_of(home_code, work_code, kind, on or timezone.localdate(), terms, default)


def records_changed_on_commit(person_ids: Iterable[int]) -> None:
    """Send `records_changed` for these people once the transaction commits (imports call it too). What
    listens (warnings, figures) is a consequence of the saved records, not part of saving them: a listener
    that fails is logged and leaves the write done (robust)."""
    ids = sorted(set(person_ids))
    if ids:
        transaction.on_commit(
            lambda: records_changed.send(sender=EmploymentRecord, person_ids=ids), robust=True
        )


def _visible(actor, person: Person) -> bool:
    return Person.objects.for_user(actor).filter(pk=person.pk).exists()


@transaction.atomic
def create_record(
    actor,
    person: Person,
    record: EmploymentRecord,
    *,
    check_scope: bool = True,
    status_source: str = SOURCE_RECORDS,
    message: str = "",
    notify: bool = True,
) -> EmploymentRecord:
    """Save a new record of `person` and derive their 务工状态 again. 务工地域 comes from the work area
    when one is given; the channel, when not given, from the employer (扶贫车间) and labor cooperation
    (有组织输出). `check_scope=False` for callers that checked the actor's rights themselves (an
    employer's hire, a comparison accepted by the system). `notify=False` for callers that send
    `records_changed` themselves, once for many records (the offline sync, field/actions.py)."""
    if check_scope and not _visible(actor, person):
        raise PermissionDenied("该人员不在您的管辖区域内。")
    record.person = person
    record.area_id = person.area_id
    record.created_by = actor if getattr(actor, "pk", None) else None
    record.source = record.source or Source.MANUAL
    if record.employer_id and not record.employer_name:
        record.employer_name = record.employer.name
        record.credit_code = record.employer.credit_code
    if record.work_area_id:
        record.place = derivation.place_between(person.area_id, record.work_area_id)
    if not record.channel:
        record.channel = channel_for(
            person.area_id,
            employer=record.employer,
            work_code=record.work_area_id or "",
            on=record.started_on,
        )
    if record.ended_on and record.ended_on < record.started_on:
        raise ValidationError("离职日期不能早于入职日期。")
    if not isinstance(record.end_reason, str):  # the field's database default, not set by the caller
        record.end_reason = ""
    if record.end_reason and not record.ended_on:
        raise ValidationError("只有填写了离职日期，才能填写离职原因。")
    record.save()
    audit(
        Action.CREATE,
        actor=actor,
        obj=record,
        message=message or f"登记就业记录：{person.name}",
        after=snapshot(record),
    )
    refresh_status(actor, [person.pk], source=status_source)
    if notify:
        records_changed_on_commit([person.pk])
    return record


def _may_end(actor, record: EmploymentRecord) -> bool:
    """The person's own area, or the area where the record in force says they work (输入地)."""
    records = EmploymentRecord.objects.filter(pk=record.pk)
    return records.for_user(actor).exists() or records.for_receiving_user(actor).exists()


@transaction.atomic
def end_record(
    actor,
    record: EmploymentRecord,
    ended_on: dt.date,
    *,
    reason: str = "",
    note: str = "",
    check_scope: bool = True,
    notify: bool = True,
) -> EmploymentRecord:
    """End a record in force on `ended_on` (its last day of work) with 离职原因 `reason` (EXCHANGE §5
    values, or empty), and derive the person's 务工状态 again. `notify` as for `create_record`."""
    record = EmploymentRecord.objects.select_for_update().select_related("person").get(pk=record.pk)
    if check_scope and not _may_end(actor, record):
        raise PermissionDenied("该就业记录不在您的管辖区域内。")
    if record.ended_on is not None:
        raise ValidationError("该就业记录已经结束。")
    if ended_on < record.started_on:
        raise ValidationError("离职日期不能早于入职日期。")
    if reason and reason not in EndReason.values:
        raise ValidationError(f"离职原因只能是：{'、'.join(EndReason.values)}。")
    before = snapshot(record, ["ended_on", "end_reason"])
    record.ended_on, record.end_reason = ended_on, reason
    record.save(update_fields=["ended_on", "end_reason", "updated_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=record,
        message=f"就业记录结束：{record.person.name}，{ended_on}"
        + (f"，{reason}" if reason else "")
        + (f"（{note}）" if note else ""),
        before=before,
        after=snapshot(record, ["ended_on", "end_reason"]),
    )
    refresh_status(actor, [record.person_id], source=SOURCE_RECORDS)
    if notify:
        records_changed_on_commit([record.person_id])
    return record


@transaction.atomic
def refresh_status(
    actor,
    person_ids: Iterable[int] | None,
    *,
    source: str,
    on: dt.date | None = None,
    within=None,
    batch=None,
    derived=None,
) -> int:
    """Store each person's 务工状态 and 务工时间(月) as derived from their records on `on` (today), only
    where they differ, with a registry field-history entry (Change, `source`, `batch`) per value changed
    and audit. Set-based: one SQL pass per 50,000 people, no Python per person. `person_ids=None` with
    `within` (an Area) refreshes everyone of that area (the nightly run). `derived`, a polars frame
    (person_id, status, months) from `status.derived_frame`, gives the values already derived from records
    in memory (an import's), for the people it holds: they are compared and stored in one pass. Returns how
    many people changed."""
    on = on or timezone.localdate()
    if derived is not None:
        chunks: Iterable = [DERIVED]
        _load_derived(derived)
    elif person_ids is None:
        if within is None:
            raise ValueError("refresh_status needs person_ids or within")
        chunks: Iterable = [None]
    else:
        ids = sorted(set(person_ids))
        chunks = [ids[i : i + REFRESH_CHUNK] for i in range(0, len(ids), REFRESH_CHUNK)]
    changed: list[tuple] = []
    total = 0
    for chunk in chunks:
        if chunk is DERIVED:
            count, sample = _store_differing(
                actor, f"SELECT person_id, status, months FROM {DERIVED_TEMP}", [], source=source, batch=batch
            )
            _drop(DERIVED_TEMP)
        else:
            count, sample = _refresh_chunk(actor, chunk, within, on=on, source=source, batch=batch)
        total += count
        if len(changed) <= AUDIT_EACH_UP_TO:
            changed += sample
    if not total:
        return 0
    if total <= AUDIT_EACH_UP_TO:
        people = Person.objects.in_bulk([row[0] for row in changed])
        for person_id, status_before, status_after, months_before, months_after in changed:
            before = {"employment_status": status_before, "work_months": months_before}
            after = {"employment_status": status_after, "work_months": months_after}
            audit(
                Action.UPDATE,
                actor=actor,
                obj=people[person_id],
                message=f"务工状态按就业记录更新：{status_before or '（空）'} → {status_after or '（空）'}，"
                f"务工时间 {'' if months_before is None else months_before} → {months_after} 个月"
                f"（{source}）",
                before={k: v for k, v in before.items() if v != after[k]},
                after={k: v for k, v in after.items() if v != before[k]},
            )
    else:
        audit(
            Action.UPDATE,
            actor=actor,
            area_code=within.code if within is not None else None,
            message=f"按就业记录更新务工状态和务工时间：{total} 人（{source}，{on.isoformat()}）",
        )
    return total


def refresh_everyone(on: dt.date | None = None) -> int:
    """The nightly refresh: every province that has people, one set-based pass each (`refresh_status`)."""
    from bangfu.areas.models import Area, Level

    total = 0
    for province in Area.objects.filter(level=Level.PROVINCE).order_by("code"):
        if Person.objects.for_area(province).exists():
            total += refresh_status(None, None, source="每日更新", on=on, within=province)
    return total


TEMP = "employment_status_refresh"
FEW = 100  # up to this many people by id: no temporary table (one record's change is the usual case)
DIFFERS = "p.employment_status <> d.status OR p.work_months IS NULL OR p.work_months <> d.months"


DERIVED = object()  # refresh_status's one pass over values derived in memory
DERIVED_TEMP = "employment_status_derived"


def _load_derived(frame) -> None:
    """The values derived in memory, into a temporary table to compare with the registry in SQL."""
    from bangfu.core.bulk import load_temporary

    _drop(DERIVED_TEMP)
    suffix = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {DERIVED_TEMP} (person_id bigint PRIMARY KEY, status varchar(10),"
            f" months integer){suffix}"
        )
    load_temporary(DERIVED_TEMP, frame.select("person_id", "status", "months"))


def _drop(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _refresh_chunk(actor, person_ids, within, *, on: dt.date, source: str, batch) -> tuple[int, list]:
    """One set-based pass for the people chosen by ids or area, their values derived by SQL."""
    people, people_params = derivation.people_sql(person_ids=person_ids, within=within)
    derived, params = derivation.derived_sql(on, people, people_params)
    if person_ids is not None and len(person_ids) <= FEW and within is None:
        return _refresh_few(actor, derived, params, source=source, batch=batch)
    return _store_differing(actor, derived, params, source=source, batch=batch)


def _store_differing(actor, derived: str, params: list, *, source: str, batch) -> tuple[int, list]:
    """The people whose stored values differ from the derived ones (`derived`: SQL selecting person_id,
    status, months) go into a temporary table; their history rows are inserted from it, then their values
    updated from it."""
    quote = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    who = actor.pk if getattr(actor, "pk", None) else None
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {TEMP} AS
            SELECT d.person_id, p.employment_status AS status_before, d.status AS status_after,
                   p.work_months AS months_before, d.months AS months_after
            FROM ({derived}) d JOIN {derivation.PEOPLE} p ON p.id = d.person_id
            WHERE {DIFFERS}""",
            params,
        )
        cursor.execute(f"SELECT COUNT(*) FROM {TEMP}")
        (count,) = cursor.fetchone()
        if not count:
            cursor.execute(f"DROP TABLE {TEMP}")
            return 0, []
        cursor.execute(f"SELECT * FROM {TEMP} ORDER BY person_id LIMIT {AUDIT_EACH_UP_TO + 1}")
        sample = cursor.fetchall()
        table = quote(Change._meta.db_table)
        columns = "at, actor_id, source, batch_id, person_id, household_id, field, before, after"
        for field, before, after, differs in (
            ("务工状态", "status_before", "status_after", "status_before <> status_after"),
            (
                "务工时间(月)",
                "COALESCE(CAST(months_before AS TEXT), '')",
                "CAST(months_after AS TEXT)",
                "months_before IS NULL OR months_before <> months_after",
            ),
        ):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT %s, %s, %s, %s, person_id, NULL, %s, {before},"
                f" {after} FROM {TEMP} WHERE {differs}",
                [now, who, source[:10], getattr(batch, "pk", batch), field],
            )
        cursor.execute(
            f"UPDATE {derivation.PEOPLE} SET employment_status = s.status_after,"
            f" work_months = s.months_after, updated_at = %s"
            f" FROM {TEMP} s WHERE {derivation.PEOPLE}.id = s.person_id",
            [now],
        )
        cursor.execute(f"DROP TABLE {TEMP}")
    return count, sample


def _refresh_few(actor, derived: str, params: list, *, source: str, batch) -> tuple[int, list]:
    """The same for a few people: the differing rows read, then written by primary key."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT d.person_id, p.employment_status, d.status, p.work_months, d.months
            FROM ({derived}) d JOIN {derivation.PEOPLE} p ON p.id = d.person_id WHERE {DIFFERS}
            ORDER BY d.person_id""",
            params,
        )
        rows = cursor.fetchall()
    if not rows:
        return 0, []
    who = actor if getattr(actor, "pk", None) else None
    now = timezone.now()
    history = []
    for person_id, status_before, status_after, months_before, months_after in rows:
        Person.objects.filter(pk=person_id).update(
            employment_status=status_after, work_months=months_after, updated_at=now
        )
        common = {
            "actor": who,
            "source": source[:10],
            "batch_id": getattr(batch, "pk", batch),
            "person_id": person_id,
        }
        if status_before != status_after:
            history.append(Change(field="务工状态", before=status_before, after=status_after, **common))
        if months_before != months_after:
            before = "" if months_before is None else str(months_before)
            history.append(Change(field="务工时间(月)", before=before, after=str(months_after), **common))
    Change.objects.bulk_create(history)
    return len(rows), rows


@transaction.atomic
def settle_mismatch(actor, mismatch, *, end: bool, ended_on: dt.date | None = None, reason: str = "",
                    note: str = ""):  # fmt: skip
    """Settle a 名册与就业记录不一致 entry: end the record in force (the registry was right: date and reason)
    or keep it (the registry was wrong: a note says why). Audited; the status is derived again when the
    record ends."""
    from bangfu.employment.models import Mismatch, MismatchStatus

    if not Mismatch.objects.for_user(actor).filter(pk=mismatch.pk).exists():
        raise PermissionDenied("该条目不在您的管辖区域内。")
    mismatch = Mismatch.objects.select_for_update().select_related("person", "record").get(pk=mismatch.pk)
    if mismatch.status != MismatchStatus.OPEN:
        raise ValidationError("该条目已经处理过了。")
    record = mismatch.record
    if end:
        if ended_on is None or not reason:
            raise ValidationError("结束记录时请填写离职日期和离职原因。")
        if record.ended_on is None:
            end_record(
                actor, record, ended_on, reason=reason, note=note or "名册与就业记录不一致：名册为未务工"
            )
            outcome = f"结束就业记录（{ended_on}，{reason}）"
        else:
            outcome = f"就业记录已于 {record.ended_on} 结束"
        mismatch.status = MismatchStatus.ENDED
    else:
        if not note.strip():
            raise ValidationError("保留记录时请说明理由。")
        mismatch.status = MismatchStatus.KEPT
        outcome = "保留就业记录"
    mismatch.settled_by = actor if getattr(actor, "pk", None) else None
    mismatch.settled_at = timezone.now()
    mismatch.note = note.strip()[:200]
    mismatch.save(update_fields=["status", "settled_by", "settled_at", "note"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=mismatch,
        message=f"处理名册与就业记录不一致：{mismatch.person.name}，{outcome}"
        + (f"；{note}" if note else ""),
        after={"status": mismatch.status},
    )
    return mismatch
