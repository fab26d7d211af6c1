"""The demo's skills training (issue 20, item 7): the rules for Hunan (培训后就业认定 6 months, 职业培训补贴
1,500 yuan for 80% attendance with a certificate, 两后生 16–22), two providers and four courses of this
year in each demo county (two finished, one running, one to come), needs from a survey of laborers out of
work, trainees enrolled from the 应训尽训 list, completions with certificates — and the lines a subsidy
list must catch: a trainee attending too few days, one without a certificate — a few 两后生 with a
follow-up, and this year's 职业培训补贴 list built by the county's demo user. Written through the real
actions; relative to today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.areas.models import Area
from bangfu.registry.models import Person, years_before
from bangfu.training import actions
from bangfu.training.models import Course, EnrolmentSource, OutcomeRule, SubsidyRule, YouthRule

SINCE = dt.date(2020, 1, 1)
NEEDS_PER_COUNTY = 60
# (title, kind, occupation, days, month started, weeks) — months of this year
COURSES = (
    ("焊工培训班", "就业技能培训", "6-18-02-04", 20, 3, 4),
    ("中式烹调师培训班", "就业技能培训", "4-03-02-01", 15, 5, 3),
    ("家政服务员订单班", "订单式培训", "4-10-01-06", 10, None, 3),  # running now
    ("电商创业培训班", "创业培训", None, 10, None, 2),  # starts in a fortnight
)


def _rules() -> None:
    if not OutcomeRule.objects.filter(region_prefix="43").exists():
        OutcomeRule.objects.create(
            region_prefix="43", effective_from=SINCE, months=6, note="演示：结业后 6 个月内就业计为培训后就业"
        )
    if not SubsidyRule.objects.filter(region_prefix="43").exists():
        SubsidyRule.objects.create(
            region_prefix="43",
            effective_from=SINCE,
            amount=Decimal("1500"),
            min_attendance=80,
            certificate_required=True,
            note="演示：结业且出勤不低于 80%、取得证书的，每人 1500 元",
        )
    if not YouthRule.objects.filter(region_prefix="43").exists():
        YouthRule.objects.create(
            region_prefix="43",
            effective_from=SINCE,
            min_age=16,
            max_age=22,
            note="演示：16–22 岁的初中、高中毕业未升学青年",
        )


def build_training_demo(counties) -> None:
    if Course.objects.filter(county_code__in=list(counties)).exists():
        return
    today = timezone.localdate()
    with transaction.atomic():
        _rules()
        for code in counties:
            _county(Area.objects.get(code=code.ljust(12, "0")), today)
    _subsidy(counties, today)


def _county(county: Area, today: dt.date) -> None:
    user = User.objects.filter(username=f"demo{county.short_code}").first()
    school = actions.create_provider(user, area=county, name=f"{county.name}职业技术学校", kind="技工院校")
    centre = actions.create_provider(
        user, area=county, name=f"{county.name}就业培训中心", kind="职业培训机构"
    )
    # Needs from a survey at the start of the year: laborers out of work, each wanting one of the courses.
    first = dt.date(today.year, 1, 15)
    people = list(
        Person.objects.for_area(county)
        .filter(is_deceased=False, employment_status="未务工", labor_skill__in=("普通劳动力", "技能劳动力"))
        .order_by("pk")[:NEEDS_PER_COUNTY]
    )
    for index, person in enumerate(people):
        title, kind, occupation, *_ = COURSES[index % len(COURSES)]
        actions.record_need(
            user,
            person,
            kind=kind,
            source="调查",
            occupation=occupation,
            recorded_on=first,
            text=title.removesuffix("班"),
            check_scope=False,
        )
    courses = []
    for index, (title, kind, occupation, days, month, weeks) in enumerate(COURSES):
        if month is not None:
            starts = dt.date(today.year, month, 1)
        elif index == 2:
            starts = today - dt.timedelta(days=7)
        else:
            starts = today + dt.timedelta(days=14)
        courses.append(
            actions.create_course(
                user,
                provider=school if index % 2 == 0 else centre,
                area=county,
                number=f"{county.short_code}-PX-{today.year}-{index + 1:02d}",
                title=title,
                kind=kind,
                occupation=occupation,
                place=f"{county.name}职业技术学校实训楼",
                starts_on=starts,
                ends_on=starts + dt.timedelta(weeks=weeks),
                capacity=15,
                days=days,
            )
        )
    # Enrol from the 应训尽训 list: each course takes the people whose need is its own.
    for course in courses:
        for person in actions_matches(course, today)[:12]:
            actions.enrol(
                user,
                course,
                person,
                source=EnrolmentSource.NEEDS,
                enrolled_on=min(course.starts_on, today),
                check_scope=False,
            )
    # The two finished courses: completions, most with a certificate; one short of days, one without one.
    for course in courses[:2]:
        for n, enrolment in enumerate(course.enrolments.order_by("pk")):
            if n == 0:
                actions.drop_out(user, enrolment)
                continue
            attended = course.days - (6 if n == 1 else n % 2)
            certificate = (
                "" if n == 2 else ("职业技能等级证书" if course.kind == "就业技能培训" else "培训合格证书")
            )
            actions.complete(
                user,
                enrolment,
                completed_on=course.ends_on,
                days_attended=attended,
                certificate_kind=certificate,
                certificate_number=f"{course.number}-{n:03d}" if certificate else "",
                check_scope=False,
            )
    _youth(county, user, today)


def actions_matches(course: Course, today: dt.date):
    from bangfu.training.needs import matches

    return list(matches(course, today, limit=15))


def _youth(county: Area, user, today: dt.date) -> None:
    """A few young people of the registry made 两后生 (the synthetic registry has no 在校生状况), three of
    them followed up."""
    from bangfu.registry.actions import update_person_fields

    young = list(
        Person.objects.for_area(county)
        .filter(
            is_deceased=False, birth_date__lte=years_before(today, 16), birth_date__gt=years_before(today, 23)
        )
        .order_by("pk")[:8]
    )
    for index, person in enumerate(young):
        update_person_fields(
            user,
            person,
            {"student_status": "非在校生", "education": ("初中", "高中")[index % 2]},
            source="手工",
            message="演示：两后生",
        )
    outcomes = (("已入读技工院校", f"{county.name}职业技术学校"), ("已联系", ""), ("不愿就读", ""))
    for person, (status, school) in zip(young, outcomes, strict=False):
        actions.follow_up_youth(
            user,
            person,
            status=status,
            contacted_on=today - dt.timedelta(days=20),
            school=school,
            note="演示：电话联系",
        )


def _subsidy(counties, today: dt.date) -> None:
    from bangfu.payouts import actions as payouts

    for code in counties:
        user = User.objects.filter(username=f"demo{code}").first()
        if user is not None:
            payouts.build(user, "training-subsidy", user.area, str(today.year))
