"""Providers, courses, needs and trainees for the training tests, made through the app's own actions."""

import datetime as dt
import itertools
from decimal import Decimal

from bangfu.conftest import COUNTY_A, area
from bangfu.training import actions
from bangfu.training.models import Course, OutcomeRule, Provider, SubsidyRule, YouthRule

_numbers = itertools.count(1)


def provider(county: str = COUNTY_A, name: str = "") -> Provider:
    return actions.create_provider(
        None, area=area(county), name=name or f"职业培训学校{next(_numbers)}", kind="职业培训机构"
    )


def course(
    county: str = COUNTY_A,
    *,
    kind="就业技能培训",
    occupation="6-18-02-04",
    starts=dt.date(2026, 3, 1),
    ends=dt.date(2026, 3, 20),
    capacity=30,
    days=15,
    number="",
    by=None,
) -> Course:
    return actions.create_course(
        None,
        provider=by or provider(county),
        area=area(county),
        number=number or f"PX{next(_numbers):04d}",
        title="焊工培训班",
        kind=kind,
        starts_on=starts,
        ends_on=ends,
        capacity=capacity,
        days=days,
        occupation=occupation,
        place="县职教中心",
    )


def need(person, *, kind="就业技能培训", occupation="6-18-02-04", on=dt.date(2026, 1, 10), source="调查"):
    return actions.record_need(
        None, person, kind=kind, source=source, occupation=occupation, recorded_on=on, check_scope=False
    )


def trained(person, on: Course, completed=dt.date(2026, 3, 20), days=None, certificate="培训合格证书"):
    enrolment = actions.enrol(None, on, person, enrolled_on=on.starts_on, check_scope=False)
    return actions.complete(
        None,
        enrolment,
        completed_on=completed,
        days_attended=on.days if days is None else days,
        certificate_kind=certificate,
        certificate_number=f"Z{enrolment.pk:06d}" if certificate else "",
        check_scope=False,
    )


def outcome(months=6, region="43", since=dt.date(2020, 1, 1)) -> OutcomeRule:
    return OutcomeRule.objects.create(region_prefix=region, effective_from=since, months=months)


def subsidy(amount="1200", min_attendance=80, certificate=True, region="433124", since=dt.date(2020, 1, 1)):
    return SubsidyRule.objects.create(
        region_prefix=region,
        effective_from=since,
        amount=Decimal(amount),
        min_attendance=min_attendance,
        certificate_required=certificate,
    )


def youth_rule(low=15, high=22, region="43", since=dt.date(2020, 1, 1)) -> YouthRule:
    return YouthRule.objects.create(region_prefix=region, effective_from=since, min_age=low, max_age=high)
