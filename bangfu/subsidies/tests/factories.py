"""People, households, records and employers for 就业补贴's tests."""

from __future__ import annotations

import datetime as dt
import itertools

from bangfu.conftest import area
from bangfu.employment.models import EmploymentRecord
from bangfu.referrals.tests.factories import make_employer, make_person

VILLAGE_A = "433124102201"  # 土地村, 龙潭镇, county A
VILLAGE_A2 = "433124103003"  # 民河社区, 民乐镇, county A
VILLAGE_B = "433123109225"  # county B
_seq = itertools.count(500)


def laborer(name: str, village: str = VILLAGE_A, household_type: str = "脱贫户", **fields):
    person = make_person(name, village, **fields)
    person.household.household_type = household_type
    person.household.save(update_fields=["household_type"])
    return person


def record(
    person, started: str, ended: str | None = None, place: str = "省外", *, employer=None, village=None
):
    return EmploymentRecord.objects.create(
        person=person,
        area=area(village or person.area_id),
        employer=employer,
        employer_name=employer.name if employer else "广州某电子厂",
        place=place,
        started_on=dt.date.fromisoformat(started),
        ended_on=dt.date.fromisoformat(ended) if ended else None,
    )


def workshop(name: str, code: str = VILLAGE_A, kind: str = "扶贫车间"):
    employer = make_employer(name, code, next(_seq))
    employer.kind = kind
    employer.save(update_fields=["kind"])
    return employer
