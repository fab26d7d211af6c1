"""The 应训尽训 list and the matching of needs to courses. The list is the people of an area counted in
有培训需求人数 and not in 培训人数 (stats.figures.training_need less stats.figures.trained), so the list's
length is always 有培训需求人数 − 应训已训人数 of the statistics."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from bangfu.areas.models import Area
from bangfu.registry.models import Person
from bangfu.stats import figures
from bangfu.training.models import Course, Enrolment, EnrolmentStatus, Need, need_in_force


def untrained(area: Area, on: dt.date):
    """The 应训尽训 list of `area` on `on`: people with a need in force, not trained this year, as a queryset
    of people annotated `in_training` (on a course now, 在训)."""
    enrolled = Enrolment.objects.filter(person=OuterRef("pk"), status=EnrolmentStatus.ENROLLED)
    # NOT EXISTS, not NOT IN: PostgreSQL runs `NOT IN (subquery)` as a hashed set only when it fits in
    # work_mem, else scans the whole set once per person (a province's list ran for most of an hour).
    trained = figures.trained(on).filter(person_id=OuterRef("pk"))
    return (
        Person.objects.for_area(area)
        .filter(pk__in=figures.training_need(on))
        .filter(~Exists(trained))
        .annotate(in_training=Exists(enrolled))
    )


def needs_of(people_ids, on: dt.date) -> dict[int, list[Need]]:
    """The needs in force on `on` of the given people (a page of a list), by person."""
    found: dict[int, list[Need]] = {}
    for need in (
        Need.objects.filter(need_in_force(on), person_id__in=list(people_ids))
        .select_related("occupation")
        .order_by("person_id", "-recorded_on", "-id")
    ):
        found.setdefault(need.person_id, []).append(need)
    return found


def matches(course: Course, on: dt.date, limit: int = 50):
    """People of the course's county on the 应训尽训 list whose need fits the course — the same 小类 of the
    classification (first three segments of the code) when both name an occupation, else the same kind of
    training — and who are not on it yet; the longest waiting first."""
    county = Area.objects.get(code=course.area_id)
    fits = Q(kind=course.kind)
    if course.occupation_id:
        group = course.occupation_id[:7]
        fits = Q(occupation__code__startswith=group) | (Q(occupation__isnull=True) & Q(kind=course.kind))
    needs = Need.objects.filter(need_in_force(on), fits, person=OuterRef("pk"))
    return (
        untrained(county, on)
        .filter(Exists(needs))
        .filter(~Exists(Enrolment.objects.filter(course=course, person=OuterRef("pk"))))
        .order_by("area_id", "name")[:limit]
    )
