"""Who is due a follow-up visit (跟踪回访): the one definition, used by the due list, the 跟踪逾期 warning
(tracking/warnings.py) and the person page.

A laborer's follow-up clock starts at their latest visit on or before the day D (any result), or, with
none, at their registration (`Person.created_at`, as a local date). The next visit is due
`跟踪回访.就业间隔天数` later if a record is in force on D (in work), else `跟踪回访.未就业间隔天数` later,
by the `FollowUpRule` in force for their village on D. They are *due* once that day has come
(due_on ≤ D: the due list) and *overdue* the day after (due_on < D: "older than the interval", the
跟踪逾期 warning of EXCHANGE §7). Only laborers count (`Person.objects.laborers(D)`).

Everything is one SQL condition over the people asked about: the rules are read once (`FollowUpRule.book`)
and each region's intervals become constant dates to compare with, so no person is looked at in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from bangfu.core.rules import RuleBook
from bangfu.employment.models import EmploymentRecord
from bangfu.registry.models import Person
from bangfu.tracking.models import FollowUpRule, Visit


def in_force_on(on: dt.date, prefix: str = "") -> Q:
    """Records in force on `on` as employment/status.py defines it: started by then and not ended before it
    (离职日期 is the last day of work)."""
    return Q(**{f"{prefix}started_on__lte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


def rule_book(on: dt.date, within=None) -> RuleBook:
    """The 跟踪回访 rules of the day (for the area `within`, when given), read once."""
    return FollowUpRule.objects.book(on, within=within)


def with_clock(people: QuerySet, on: dt.date) -> QuerySet:
    """`people` annotated with what the clock reads: `last_visit_on` (latest visit on or before `on`, or
    None), `in_work` (a record in force on `on`) and `clock_from` (the visit's day, or registration).
    Each is an index probe per person: visits by (person, visited_on), records by (person, started_on)."""
    latest = Visit.objects.filter(person=OuterRef("pk"), visited_on__lte=on).order_by("-visited_on")
    return people.annotate(
        last_visit_on=Subquery(latest.values("visited_on")[:1], output_field=DateField()),
        in_work=Exists(EmploymentRecord.objects.filter(in_force_on(on), person=OuterRef("pk"))),
        clock_from=Coalesce(F("last_visit_on"), TruncDate("created_at"), output_field=DateField()),
    )


def last_results(person_ids, on: dt.date) -> dict[int, str]:
    """The result of each person's latest visit on or before `on` (of one day's several, the last entered),
    in one query: for a page of the due list, not for every person the list reads."""
    found: dict[int, str] = {}
    visits = Visit.objects.filter(person_id__in=list(person_ids), visited_on__lte=on).order_by(
        "person_id", "-visited_on", "-id"
    )
    for person_id, result in visits.values_list("person_id", "result"):
        found.setdefault(person_id, result)
    return found


def _regions(book: RuleBook):
    """(rule, the condition on Person.area of the places it governs) for each rule in force."""
    for rule in book.by_region().values():
        yield rule, book.partition("area", lambda r, rule=rule: Q() if r is rule else Q(pk__in=[]))


def _condition(book: RuleBook, on: dt.date, *, strict: bool) -> Q:
    lookup = "clock_from__lt" if strict else "clock_from__lte"
    return book.partition(
        "area",
        lambda rule: (
            Q(in_work=True, **{lookup: on - dt.timedelta(days=rule.employed_interval_days)})
            | Q(in_work=False, **{lookup: on - dt.timedelta(days=rule.unemployed_interval_days)})
        ),
    )


def due_on_expression(book: RuleBook) -> Case:
    """The day the next visit is due, for a queryset `with_clock`: clock_from + the interval that applies.
    None where no rule applies (then nobody is due)."""
    whens = []
    for rule, region in _regions(book):
        for working, days in ((True, rule.employed_interval_days), (False, rule.unemployed_interval_days)):
            whens.append(
                When(
                    region & Q(in_work=working),
                    then=Cast(F("clock_from") + Value(dt.timedelta(days=days)), DateField()),
                )
            )
    return Case(*whens, default=Value(None), output_field=DateField())


def due(people: QuerySet | None = None, on: dt.date | None = None, *, overdue: bool = False) -> QuerySet:
    """The laborers among `people` (all by default; give an area-scoped queryset) whose follow-up is due on
    `on` (today by default), or with `overdue` past due, annotated as `with_clock` and with `due_on`, most
    overdue first."""
    on = on or timezone.localdate()
    people = Person.objects.all() if people is None else people
    book = rule_book(on)
    laborers = with_clock(people.laborers(on), on).filter(_condition(book, on, strict=overdue))
    return laborers.annotate(due_on=due_on_expression(book)).order_by("due_on", "pk")


def overdue(people: QuerySet | None = None, on: dt.date | None = None) -> QuerySet:
    """The laborers among `people` whose follow-up is overdue on `on` (跟踪逾期, EXCHANGE §7)."""
    return due(people, on, overdue=True)


@dataclass(frozen=True)
class Due:
    """One laborer due a visit, as the due list pages them."""

    person_id: int
    area_id: str
    last_visit_on: dt.date | None
    in_work: bool
    clock_from: dt.date
    due_on: dt.date


def interval_days(rule: FollowUpRule, in_work: bool) -> int:
    return rule.employed_interval_days if in_work else rule.unemployed_interval_days


def due_list(people: QuerySet, on: dt.date | None = None, *, in_work: bool | None = None) -> list[Due]:
    """Every laborer among `people` (a village's, say) due on `on`, most overdue first, as `due()` finds
    them but read in one query of five columns and ordered here: the list is read whole to be ordered
    anyway, and the ordering `CASE` would make the database read each clock again."""
    on = on or timezone.localdate()
    book = rule_book(on)
    found = with_clock(people.laborers(on), on).filter(_condition(book, on, strict=False))
    if in_work is not None:
        found = found.filter(in_work=in_work)
    rules: dict[str, FollowUpRule] = {}
    entries = []
    for pk, area_id, last_visit_on, working, clock_from in found.values_list(
        "pk", "area_id", "last_visit_on", "in_work", "clock_from"
    ):
        rule = rules.get(area_id) or rules.setdefault(area_id, book.for_code(area_id))
        due_on = clock_from + dt.timedelta(days=interval_days(rule, working))
        entries.append(Due(pk, area_id, last_visit_on, bool(working), clock_from, due_on))
    entries.sort(key=lambda e: (e.due_on, e.person_id))
    return entries


@dataclass(frozen=True)
class Clock:
    """One person's follow-up clock on a day (the person page)."""

    last_visit_on: dt.date | None
    in_work: bool
    clock_from: dt.date
    due_on: dt.date | None  # None: no 跟踪回访 rule applies, or not a laborer

    def overdue_days(self, on: dt.date) -> int | None:
        return None if self.due_on is None else (on - self.due_on).days


def clock_of(person: Person, on: dt.date | None = None) -> Clock:
    """`person`'s clock as the due list reads it (the same annotations; one query)."""
    on = on or timezone.localdate()
    book = rule_book(on)
    row = (
        with_clock(Person.objects.filter(pk=person.pk), on)
        .annotate(
            laborer=Case(
                When(pk__in=Person.objects.filter(pk=person.pk).laborers(on).values("pk"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            due_on=due_on_expression(book),
        )
        .values("last_visit_on", "in_work", "clock_from", "due_on", "laborer")
        .get()
    )
    due_day = row["due_on"] if row["laborer"] else None
    return Clock(row["last_visit_on"], row["in_work"], row["clock_from"], due_day)
