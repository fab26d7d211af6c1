"""两后生: young people who left school after 初中 or 高中 without going on — in the registry 在校生状况
非在校生 with 文化程度 初中 or 高中 — of the ages of the 两后生 rule in force for their village, alive. Their
latest follow-up (`YouthFollowUp`) says whether they were contacted and enrolled in a technical school."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, Subquery

from bangfu.areas.models import Area
from bangfu.registry.models import Person, years_before
from bangfu.training.models import YouthFollowUp, YouthRule

LEFT_AFTER = ("初中", "高中")  # 文化程度 of those who left after 初中 or 高中
NOT_AT_SCHOOL = "非在校生"


def _ages(rule: YouthRule, on: dt.date) -> Q:
    return Q(
        birth_date__lte=years_before(on, rule.min_age), birth_date__gt=years_before(on, rule.max_age + 1)
    )


def youth(area: Area, on: dt.date):
    """The 两后生 of `area` on `on`, annotated with their latest follow-up's `follow_status` and
    `follow_school`."""
    ages = YouthRule.objects.book(on, within=area).partition("area", lambda rule: _ages(rule, on))
    latest = YouthFollowUp.objects.filter(person=OuterRef("pk")).order_by("-contacted_on", "-id")
    return (
        Person.objects.for_area(area)
        .filter(ages, student_status=NOT_AT_SCHOOL, education__in=LEFT_AFTER, is_deceased=False)
        .annotate(
            follow_status=Subquery(latest.values("status")[:1]),
            follow_school=Subquery(latest.values("school")[:1]),
        )
    )
