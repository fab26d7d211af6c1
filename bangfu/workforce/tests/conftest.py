"""Workforce fixtures: a Guangzhou factory with its enterprise account and another employer with its own,
a registry laborer of county A (龙春生) and one of county B, and ID numbers of people who are not in the
registry. `apply` runs the background worker's step (what `apply_reports_task` does)."""

import datetime as dt

import pytest

from bangfu.core.idnumber import make_id
from bangfu.referrals.tests.factories import make_employer, make_enterprise_user, make_person


def outsider_id(seq: int = 7) -> str:
    """An ID number of someone not in the registry (a county the registry fixtures never use)."""
    return make_id("430102", dt.date(1991, 7, 8), seq)


@pytest.fixture
def world(users):
    factory = make_employer("广州海珠电子厂", "440105", 401)
    other = make_employer("别家公司", "440105", 402)
    return {
        "long": make_person("龙春生"),
        "tian": make_person("田大山", "433123109225"),
        "factory": factory,
        "other": other,
        "boss": make_enterprise_user("boss_factory", factory),
        "other_boss": make_enterprise_user("boss_other", other),
    }


@pytest.fixture
def apply():
    from bangfu.workforce.actions import apply_pending

    return apply_pending
