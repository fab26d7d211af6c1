"""People of the 社保扶贫 tests: a registry member with the household and the enrolment the test names."""

from __future__ import annotations

import datetime as dt

from bangfu.areas.models import Area
from bangfu.conftest import VILLAGE_A
from bangfu.referrals.tests.factories import make_person

RESIDENTS = "城乡居民养老保险"
HOUSEHOLD_FIELDS = ("household_type", "is_dibao", "is_tekun")


def person(name: str, village: str = VILLAGE_A, *, birth="1985-05-06", household_type="脱贫户", **fields):
    """A member enrolled in 城乡居民养老保险 (参保缴费) unless `fields` say otherwise."""
    household = {key: fields.pop(key) for key in HOUSEHOLD_FIELDS[1:] if key in fields}
    fields.setdefault("pension_insurance", RESIDENTS)
    fields.setdefault("pension_status", "参保缴费")
    made = make_person(name, village, birth=birth, **fields)
    made.household.household_type = household_type
    for key, value in household.items():
        setattr(made.household, key, value)
    made.household.save()
    return made


def village_of(county_prefix: str) -> str:
    return Area.objects.filter(code__startswith=county_prefix, level=5).order_by("code").first().code


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
