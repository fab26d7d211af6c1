"""Employment-record writes from the pages: record a spell of work, end it. Each keeps the person's
employment status (务工状态) in step, with field history and audit, in one transaction."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.employment.models import EmploymentRecord, Place, Source
from bangfu.registry.models import Person

PLACE_STATUS = {Place.COUNTY: "县内务工", Place.PROVINCE: "省内县外务工", Place.OUTSIDE: "省外务工"}


@transaction.atomic
def create_record(actor, person: Person, record: EmploymentRecord) -> EmploymentRecord:
    from bangfu.referrals.actions import set_employment_status

    if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("该人员不在您的管辖区域内。")
    record.person = person
    record.area_id = person.area_id
    record.created_by = actor
    record.source = record.source or Source.MANUAL
    if record.employer_id and not record.employer_name:
        record.employer_name = record.employer.name
        record.credit_code = record.employer.credit_code
    if record.ended_on and record.ended_on < record.started_on:
        raise ValidationError("离职日期不能早于入职日期。")
    record.save()
    audit(
        Action.CREATE, actor=actor, obj=record, message=f"登记就业记录：{person.name}", after=snapshot(record)
    )
    if record.ended_on is None and record.place:
        set_employment_status(actor, person, PLACE_STATUS[record.place], source="就业记录")
    return record


@transaction.atomic
def end_record(actor, record: EmploymentRecord, ended_on: date, note: str = "") -> EmploymentRecord:
    """Ends a current record; a person with no other current record becomes 未务工."""
    from bangfu.referrals.actions import set_employment_status

    record = EmploymentRecord.objects.select_for_update().select_related("person").get(pk=record.pk)
    if not EmploymentRecord.objects.for_user(actor).filter(pk=record.pk).exists():
        raise PermissionDenied("该就业记录不在您的管辖区域内。")
    if record.ended_on is not None:
        raise ValidationError("该就业记录已经结束。")
    if ended_on < record.started_on:
        raise ValidationError("离职日期不能早于入职日期。")
    before = snapshot(record, ["ended_on"])
    record.ended_on = ended_on
    record.save(update_fields=["ended_on", "updated_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=record,
        message=f"就业记录结束：{record.person.name}，{ended_on}" + (f"（{note}）" if note else ""),
        before=before,
        after=snapshot(record, ["ended_on"]),
    )
    if not EmploymentRecord.objects.filter(person=record.person, ended_on__isnull=True).exists():
        set_employment_status(actor, record.person, "未务工", source="就业记录")
    return record
