"""Writes of skills training: needs (recorded, dropped, read from the registry's 培训意愿), providers,
courses, enrolments (one by one, from the 应训尽训 list, by matching), attendance, completion with the
certificate, dropping out, and the 两后生 follow-up. Each write is one transaction with its audit event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.areas.models import Area, Level
from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.jobs.models import Occupation
from bangfu.registry.models import Person
from bangfu.training.models import (
    CertificateKind,
    Course,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Need,
    NeedSource,
    Provider,
    ProviderKind,
    TrainingKind,
    YouthFollowUp,
    YouthStatus,
)


def _in_scope(actor, area: Area | str) -> bool:
    code = area if isinstance(area, str) else area.pk
    return actor is None or Area.objects.for_user(actor).filter(pk=code).exists()


def _check(actor, area, what: str = "该人员") -> None:
    if not _in_scope(actor, area):
        raise PermissionDenied(f"{what}不在您的管辖区域内。")


def _by(actor):
    return actor if getattr(actor, "pk", None) else None


def _occupation(code: str | None) -> Occupation | None:
    if not code:
        return None
    found = Occupation.objects.filter(code=code.strip()).first()
    if found is None:
        raise ValidationError(f"职业分类大典中没有代码 {code}。")
    return found


# --- needs ---------------------------------------------------------------------------------------------


@transaction.atomic
def record_need(
    actor,
    person: Person,
    *,
    kind: str,
    source: str,
    occupation: str | None = None,
    recorded_on: dt.date | None = None,
    text: str = "",
    visit=None,
    check_scope: bool = True,
) -> Need:
    if check_scope:
        _check(actor, person.area_id)
    if kind not in TrainingKind.values:
        raise ValidationError(f"培训类型只能是：{'、'.join(TrainingKind.values)}。")
    if source not in NeedSource.values:
        raise ValidationError(f"来源只能是：{'、'.join(NeedSource.values)}。")
    recorded_on = recorded_on or timezone.localdate()
    if recorded_on > timezone.localdate():
        raise ValidationError("登记日期不能晚于今天。")
    need = Need.objects.create(
        person=person,
        area_id=person.area_id,
        occupation=_occupation(occupation),
        kind=kind,
        source=source,
        text=text.strip()[:200],
        recorded_on=recorded_on,
        visit=visit,
        created_by=_by(actor),
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=need,
        message=f"登记培训需求：{person.name} {kind}",
        after=snapshot(need),
    )
    return need


@transaction.atomic
def drop_need(actor, need: Need, on: dt.date | None = None) -> Need:
    _check(actor, need.area_id, "该培训需求")
    on = on or timezone.localdate()
    if need.dropped_on is not None:
        raise ValidationError(f"该培训需求已于 {need.dropped_on} 不再需要。")
    if on < need.recorded_on:
        raise ValidationError("不再需要日期不能早于登记日期。")
    need.dropped_on = on
    need.save(update_fields=["dropped_on"])
    audit(Action.UPDATE, actor=actor, obj=need, message=f"培训需求不再需要：{on}")
    return need


@transaction.atomic
def needs_from_registry(actor, area: Area, on: dt.date | None = None) -> int:
    """The registry's free text 培训意愿 of the people of `area` read into needs (source 一库培训意愿): the
    occupation from the classification when the text names one (jobs.occupations), the kind 就业技能培训
    (创业培训 when the text says 创业). A person with a need from the registry in force is left alone, so
    running it again adds nothing. Returns how many needs were added."""
    from bangfu.jobs.occupations import default_index

    _check(actor, area, "该区域")
    on = on or timezone.localdate()
    index = default_index()
    known = set(
        Need.objects.for_area(area)
        .filter(source=NeedSource.REGISTRY, dropped_on__isnull=True)
        .values_list("person_id", flat=True)
    )
    occupations = set(Occupation.objects.values_list("code", flat=True))
    people = (
        Person.objects.for_area(area)
        .exclude(training_wish="")
        .filter(is_deceased=False)
        .values_list("pk", "area_id", "training_wish")
    )
    made = []
    for pk, code, text in people.iterator(chunk_size=5000):
        if pk in known or text.strip() in ("", "无", "否", "没有"):
            continue
        wish = index.read_wish(text)
        occupation = next((c for c in wish.codes if c in occupations), None)
        kind = TrainingKind.ENTREPRENEURSHIP if "创业" in text else TrainingKind.EMPLOYMENT
        made.append(
            Need(
                person_id=pk,
                area_id=code,
                occupation_id=occupation,
                kind=kind,
                source=NeedSource.REGISTRY,
                text=text[:200],
                recorded_on=on,
                created_by=_by(actor),
            )
        )
    Need.objects.bulk_create(made, batch_size=2000)
    audit(
        Action.CREATE,
        actor=actor,
        area_code=area.code,
        message=f"从一库培训意愿生成培训需求 {len(made)} 条：{area.full_name or area.name}",
    )
    return len(made)


# --- providers and courses ----------------------------------------------------------------------------


@transaction.atomic
def create_provider(
    actor, *, area: Area, name: str, kind: str, credit_code: str = "", contact: str = "", phone: str = ""
) -> Provider:
    _check(actor, area, "该区域")
    if kind not in ProviderKind.values:
        raise ValidationError(f"机构类型只能是：{'、'.join(ProviderKind.values)}。")
    name = name.strip()
    if not name:
        raise ValidationError("请填写机构名称。")
    if Provider.objects.filter(area=area, name=name).exists():
        raise ValidationError(f"本地区已有培训机构“{name}”。")
    provider = Provider.objects.create(
        area=area,
        name=name,
        kind=kind,
        credit_code=credit_code.strip(),
        contact=contact.strip(),
        phone=phone.strip(),
    )
    audit(Action.CREATE, actor=actor, obj=provider, message=f"登记培训机构：{name}", after=snapshot(provider))
    return provider


@transaction.atomic
def create_course(
    actor,
    *,
    provider: Provider,
    area: Area,
    number: str,
    title: str,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int,
    days: int,
    occupation: str | None = None,
    place: str = "",
) -> Course:
    _check(actor, area, "该区域")
    if area.level != Level.COUNTY:
        raise ValidationError("培训班由县（市、区）组织：请选择县级区域。")
    if kind not in TrainingKind.values:
        raise ValidationError(f"培训类型只能是：{'、'.join(TrainingKind.values)}。")
    number = number.strip()
    if not number:
        raise ValidationError("请填写班级编号。")
    if ends_on < starts_on:
        raise ValidationError("结业日期不能早于开班日期。")
    if capacity < 1 or days < 1:
        raise ValidationError("计划人数和培训天数应大于 0。")
    if Course.objects.filter(county_code=area.code[:6], number=number).exists():
        raise ValidationError(f"本县已有班级编号 {number}：班级编号在县内不能重复。")
    course = Course(
        provider=provider,
        area=area,
        number=number,
        title=title.strip(),
        kind=kind,
        occupation=_occupation(occupation),
        place=place.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        days=days,
        created_by=_by(actor),
    )
    course.save()
    audit(Action.CREATE, actor=actor, obj=course, message=f"开设培训班：{course}", after=snapshot(course))
    return course


# --- enrolment --------------------------------------------------------------------------------------------


def _room(course: Course, adding: int = 1) -> None:
    taken = Enrolment.objects.filter(course=course).exclude(status=EnrolmentStatus.DROPPED).count()
    if taken + adding > course.capacity:
        raise ValidationError(f"培训班已满：计划 {course.capacity} 人，已报名 {taken} 人。")


@transaction.atomic
def enrol(
    actor,
    course: Course,
    person: Person,
    *,
    source: str = EnrolmentSource.DESK,
    need: Need | None = None,
    enrolled_on: dt.date | None = None,
    check_scope: bool = True,
) -> Enrolment:
    if check_scope:
        _check(actor, course.area_id, "该培训班")
        _check(actor, person.area_id)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if person.is_deceased:
        raise ValidationError(f"{person.name} 已故，不能报名。")
    if Enrolment.objects.filter(course=course, person=person).exists():
        raise ValidationError(f"{person.name} 已在该培训班。")
    _room(course)
    if need is None:
        need = _matching_need(course, person)
    enrolment = Enrolment.objects.create(
        course=course,
        person=person,
        area_id=person.area_id,
        need=need,
        source=source,
        enrolled_on=enrolled_on or timezone.localdate(),
    )
    audit(Action.CREATE, actor=actor, obj=enrolment, message=f"培训报名：{person.name} → {course}")
    return enrolment


def _matching_need(course: Course, person: Person) -> Need | None:
    needs = Need.objects.filter(person=person, dropped_on__isnull=True).order_by("-recorded_on", "-id")
    for need in needs:
        if need.kind == course.kind or (
            course.occupation_id
            and need.occupation_id
            and course.occupation_id.startswith(need.occupation_id[:4])
        ):
            return need
    return needs.first()


@transaction.atomic
def enrol_many(actor, course: Course, person_ids: list[int], *, source: str) -> int:
    """Enrol the people chosen from the 应训尽训 list or the matches; all or none (the course's room)."""
    _check(actor, course.area_id, "该培训班")
    people = (
        list(Person.objects.for_user(actor).filter(pk__in=person_ids))
        if actor
        else list(Person.objects.filter(pk__in=person_ids))
    )
    if len(people) != len(set(person_ids)):
        raise PermissionDenied("所选人员中有不在您管辖区域内的人员。")
    for person in people:
        enrol(actor, course, person, source=source, check_scope=False)
    return len(people)


@transaction.atomic
def record_attendance(actor, enrolment: Enrolment, days: int) -> Enrolment:
    _check(actor, enrolment.area_id, "该学员")
    course = enrolment.course
    if days < 0 or days > course.days:
        raise ValidationError(f"出勤天数应在 0 到培训天数 {course.days} 之间。")
    before = enrolment.days_attended
    enrolment.days_attended = days
    enrolment.save(update_fields=["days_attended", "updated_at"])
    audit(Action.UPDATE, actor=actor, obj=enrolment, message=f"登记出勤：{before} → {days} 天")
    return enrolment


@transaction.atomic
def complete(
    actor,
    enrolment: Enrolment,
    *,
    completed_on: dt.date,
    days_attended: int | None = None,
    certificate_kind: str = "",
    certificate_number: str = "",
    certificate_on: dt.date | None = None,
    check_scope: bool = True,
) -> Enrolment:
    """结业: the day, the days attended and the certificate (kind and number together, or neither)."""
    if check_scope:
        _check(actor, enrolment.area_id, "该学员")
    course = enrolment.course
    if enrolment.status == EnrolmentStatus.DROPPED:
        raise ValidationError("该学员已退学，不能结业。")
    if completed_on < course.starts_on:
        raise ValidationError(f"结业日期不能早于开班日期 {course.starts_on}。")
    if completed_on > timezone.localdate():
        raise ValidationError("结业日期不能晚于今天。")
    if days_attended is not None:
        if days_attended < 0 or days_attended > course.days:
            raise ValidationError(f"出勤天数应在 0 到培训天数 {course.days} 之间。")
        enrolment.days_attended = days_attended
    if bool(certificate_kind) != bool(certificate_number.strip()):
        raise ValidationError("证书类型和证书编号要一起填写。")
    if certificate_kind and certificate_kind not in CertificateKind.values:
        raise ValidationError(f"证书类型只能是：{'、'.join(CertificateKind.values)}。")
    before = snapshot(enrolment)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_on = completed_on
    enrolment.certificate_kind = certificate_kind
    enrolment.certificate_number = certificate_number.strip()
    enrolment.certificate_on = (certificate_on or completed_on) if certificate_kind else None
    enrolment.save()
    audit(
        Action.UPDATE,
        actor=actor,
        obj=enrolment,
        message=f"结业：{enrolment.person.name} {completed_on}",
        before=before,
        after=snapshot(enrolment),
    )
    return enrolment


@transaction.atomic
def drop_out(actor, enrolment: Enrolment) -> Enrolment:
    _check(actor, enrolment.area_id, "该学员")
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(f"只有在训学员可以退学（现为{enrolment.status}）。")
    enrolment.status = EnrolmentStatus.DROPPED
    enrolment.save(update_fields=["status", "updated_at"])
    audit(Action.UPDATE, actor=actor, obj=enrolment, message=f"退学：{enrolment.person.name}")
    return enrolment


# --- 两后生 ------------------------------------------------------------------------------------------------


@transaction.atomic
def follow_up_youth(
    actor,
    person: Person,
    *,
    status: str,
    contacted_on: dt.date | None = None,
    school: str = "",
    note: str = "",
) -> YouthFollowUp:
    _check(actor, person.area_id)
    if status not in YouthStatus.values:
        raise ValidationError(f"结果只能是：{'、'.join(YouthStatus.values)}。")
    if status == YouthStatus.ENROLLED and not school.strip():
        raise ValidationError("已入读技工院校的，请填写就读院校。")
    contacted_on = contacted_on or timezone.localdate()
    if contacted_on > timezone.localdate():
        raise ValidationError("联系日期不能晚于今天。")
    follow = YouthFollowUp.objects.create(
        person=person,
        area_id=person.area_id,
        contacted_on=contacted_on,
        status=status,
        school=school.strip(),
        note=note.strip(),
        by=_by(actor),
    )
    audit(Action.CREATE, actor=actor, obj=follow, message=f"两后生跟踪：{person.name} {status}")
    return follow
