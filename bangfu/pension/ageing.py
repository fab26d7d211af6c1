"""The 60+ ledger (60 岁以上台账): everyone living who reaches the pension age (the 养老待遇领取 rule of their
area, 60) in year Y or is older, with what is needed and by when, and the people about to reach it.

What is needed, from the enrolment data comparison keeps (registry.Person.pension_*):
- 已领取: drawing a pension (领取待遇);
- 待遇申领: enrolled and paying or paused (参保缴费, 暂停缴费): claim the benefit within the rule's
  待遇申领期限 after reaching the age;
- 一次性补缴: not enrolled, or enrolment ended: enrol and pay the missing years at once before reaching the
  age (the due day is the birthday itself).

Who answers for each person is their 帮扶责任人 (tracking.Responsibility: the person's own, else the
household's); follow-ups are tracking's visits. Set-based: the ledger, its counts and its overdue filter
are conditions in SQL (the rules' territories compiled by `RuleBook.partition`); due days are computed for
the page shown only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf

from bangfu.areas.models import Area
from bangfu.pension.models import AgeingRule
from bangfu.registry.models import Person, years_before

CATCH_UP, CLAIM, DRAWING = "一次性补缴", "待遇申领", "已领取"
NEEDS = (CATCH_UP, CLAIM, DRAWING)
PAYING = ("参保缴费", "暂停缴费")


def need_of() -> Case:
    return Case(
        When(pension_status="领取待遇", then=Value(DRAWING)),
        When(pension_status__in=PAYING, then=Value(CLAIM)),
        default=Value(CATCH_UP),
        output_field=CharField(),
    )


def months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _book(on: dt.date, area: Area | None):
    return AgeingRule.objects.book(on, within=area)


def ledger(area: Area, year: int, on: dt.date):
    """The living people of `area` who reach the pension age by 31 December of `year` (or are older),
    annotated with `need` (一次性补缴, 待遇申领, 已领取)."""
    book = _book(on, area)
    last = dt.date(year, 12, 31)
    return (
        Person.objects.for_area(area)
        .filter(is_deceased=False)
        .filter(book.partition("area", lambda r: r.reached_by(last)))
        .annotate(need=need_of())
    )


def overdue(people, on: dt.date, area: Area | None = None):
    """Of ledger `people`, those past their due day on `on`: 一次性补缴 once the age is reached, 待遇申领
    once the rule's 待遇申领期限 after it has passed."""
    book = _book(on, area)
    return people.filter(
        book.partition(
            "area",
            lambda r: (
                (Q(need=CATCH_UP) & r.reached_by(on))
                | (Q(need=CLAIM) & r.reached_by(on - dt.timedelta(days=r.claim_days)))
            ),
        )
    )


def upcoming(area: Area, on: dt.date):
    """The living people of `area` who reach the pension age after `on` and within the rule's 提前提示月数."""
    book = _book(on, area)
    return (
        Person.objects.for_area(area)
        .filter(is_deceased=False)
        .filter(
            book.partition(
                "area",
                lambda r: Q(
                    birth_date__gt=years_before(on, r.pension_age),
                    birth_date__lte=years_before(months_after(on, r.notice_months), r.pension_age),
                ),
            )
        )
        .annotate(need=need_of())
    )


def counts(people) -> dict[str, int]:
    found = dict(people.values_list("need").annotate(n=Count("id")).order_by())
    return {need: found.get(need, 0) for need in NEEDS}


def with_follow_up(people):
    """Annotated with the 帮扶责任人's name (`officer`: the person's own, else the household's) and the
    latest visit's day (`visited_on`)."""
    from bangfu.tracking.models import Responsibility, Visit

    def officer(**match):
        current = Responsibility.objects.filter(until__isnull=True, **match).order_by("-since", "-id")
        name = Coalesce(NullIf("user__name", Value("")), "user__username")
        return Subquery(current.annotate(who=name).values("who")[:1])

    latest = Visit.objects.filter(person=OuterRef("pk")).order_by("-visited_on", "-id").values("visited_on")
    return people.annotate(
        officer=Coalesce(
            officer(person=OuterRef("pk")),
            officer(household=OuterRef("household_id")),
            Value(""),
            output_field=CharField(),
        ),
        visited_on=Subquery(latest[:1]),
    )


@dataclass
class Entry:
    """One row of the ledger as a page shows it."""

    person: Person
    need: str
    reaches_on: dt.date  # the day the pension age is reached
    due_on: dt.date | None
    overdue: bool


def entries(people, on: dt.date) -> list[Entry]:
    """The due days of a page of ledger people (their rule looked up once per territory)."""
    book = _book(on, None)
    found = []
    for person in people:
        rule = book.for_code(person.area_id)
        age = rule.pension_age if rule else 60
        reaches = years_before(person.birth_date, -age)
        if person.need == CATCH_UP:
            due = reaches
        elif person.need == CLAIM:
            due = reaches + dt.timedelta(days=rule.claim_days if rule else 0)
        else:
            due = None
        found.append(Entry(person, person.need, reaches, due, due is not None and due < on))
    return found
