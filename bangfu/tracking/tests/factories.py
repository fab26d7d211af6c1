"""People and visits for the tracking tests: real rows, made as the pages and imports make them."""

import datetime as dt

from django.utils import timezone

from bangfu.employment.models import EmploymentRecord
from bangfu.referrals.tests.factories import VILLAGE_A, make_person
from bangfu.registry.models import Person
from bangfu.tracking.models import Visit


def registered(person: Person, day: dt.date) -> Person:
    """As if registered on `day` (the follow-up clock starts at registration)."""
    moment = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0))
    Person.objects.filter(pk=person.pk).update(created_at=moment)
    person.created_at = moment
    return person


def due_laborer(name: str, village: str = VILLAGE_A, *, days_ago: int = 100, **fields) -> Person:
    """A laborer out of work registered `days_ago` days ago and never visited: due (30 days) long since."""
    return registered(
        make_person(name, village, **fields), timezone.localdate() - dt.timedelta(days=days_ago)
    )


def visit(person: Person, day: dt.date, result: str = "在岗", method: str = "电话") -> Visit:
    return Visit.objects.create(
        person=person, area_id=person.area_id, visited_on=day, method=method, result=result
    )


def working(person: Person, since: dt.date, until: dt.date | None = None, **fields) -> EmploymentRecord:
    fields.setdefault("employer_name", "某电子厂")
    fields.setdefault("place", "省外")
    return EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, started_on=since, ended_on=until, **fields
    )
