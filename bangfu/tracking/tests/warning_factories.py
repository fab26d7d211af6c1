"""Small builders for tracking tests: households and members in real villages, employment records and
visits, written straight to the database (the engines read the database, not the actions)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from bangfu.conftest import area
from bangfu.core.idnumber import make_id
from bangfu.employment.models import EmploymentRecord
from bangfu.registry.models import Household, Person
from bangfu.tracking.models import Visit

VILLAGE_A = "433124102201"  # county A (花垣县)
VILLAGE_A2 = "433124102202"
VILLAGE_B = "433123109225"  # county B (凤凰县)
_seq = itertools.count(1)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def household(village: str = VILLAGE_A, **fields) -> Household:
    return Household.objects.create(number=f"H{village}{next(_seq):05d}", area=area(village), **fields)


def member(
    home: Household,
    name: str,
    birth: str = "1985-05-06",
    *,
    registered: str | None = "2020-01-01",
    relation: str = "户主",
    **fields,
) -> Person:
    values = {"sex": "男", "labor_skill": "普通劳动力", "employment_status": "未务工", "health": "健康"}
    values.update(fields)
    seq = next(_seq)
    person = Person.objects.create(
        id_number=make_id(home.area_id[:6], day(birth), seq % 999 or 1),
        name=name,
        birth_date=day(birth),
        household=home,
        area=home.area,
        relation=relation,
        **values,
    )
    if registered:
        at = dt.datetime.combine(day(registered), dt.time(9), tzinfo=timezone.get_current_timezone())
        Person.objects.filter(pk=person.pk).update(created_at=at)
        person.refresh_from_db()
    return person


def laborer(name: str, village: str = VILLAGE_A, birth: str = "1985-05-06", **fields) -> Person:
    return member(household(village), name, birth, **fields)


def record(
    person: Person, started: str, ended: str | None = None, reason: str = "", **fields
) -> EmploymentRecord:
    return EmploymentRecord.objects.create(
        person=person,
        area_id=person.area_id,
        employer_name=fields.pop("employer_name", "某某制衣厂"),
        started_on=day(started),
        ended_on=day(ended) if ended else None,
        end_reason=reason,
        **fields,
    )


def visit(person: Person, on: str, result: str = "在岗", method: str = "电话") -> Visit:
    return Visit.objects.create(
        person=person, area_id=person.area_id, visited_on=day(on), method=method, result=result
    )
