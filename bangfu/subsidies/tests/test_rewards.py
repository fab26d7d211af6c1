"""车间基地奖补 through the core: per workshop or base, the poor laborers it employed long enough against the
rule's threshold; the payee is the employer, and a second list of the same year finds it paid."""

import datetime as dt
from decimal import Decimal

import pytest

from bangfu.conftest import area
from bangfu.payouts import actions
from bangfu.payouts.models import Result
from bangfu.subsidies.models import RewardRule
from bangfu.subsidies.tests.factories import VILLAGE_A, VILLAGE_A2, laborer, record, workshop

COUNTY_A = "433124"


@pytest.fixture
def world(users):
    RewardRule.objects.create(
        region_prefix="433124", effective_from=dt.date(2020, 1, 1), min_hired=2, min_months=6,
        per_person=Decimal("1000"), fixed=Decimal("5000"), cap=Decimal("6500"),
    )  # fmt: skip
    big = workshop("龙潭扶贫车间", VILLAGE_A)
    small = workshop("民乐就业帮扶基地", VILLAGE_A2, "就业帮扶基地")
    plain = workshop("普通企业", VILLAGE_A2, "企业")
    for n in range(3):  # three poor laborers for a year: 5000 + 3 × 1000, capped at 6500
        record(laborer(f"车间{n}"), "2025-01-01", None, "县内", employer=big)
    record(laborer("车间一般", household_type="一般农户"), "2025-01-01", None, "县内", employer=big)
    record(laborer("基地甲", VILLAGE_A2), "2025-01-01", None, "县内", employer=small)  # one: too few
    record(laborer("基地乙", VILLAGE_A2), "2025-09-01", None, "县内", employer=small)  # 4 months: not counted
    record(laborer("企业丙", VILLAGE_A2), "2025-01-01", None, "县内", employer=plain)
    return {"big": big, "small": small}


def test_rewards_by_employer_against_the_threshold(world, users):
    payout_list = actions.build(users["county_a"], "workshop-reward", area(COUNTY_A), "2025")
    got = {line.name: (line.result, line.amount, line.quantity) for line in payout_list.lines.all()}
    assert got == {
        "龙潭扶贫车间": (Result.PASSED, Decimal("6500.00"), 3),
        "民乐就业帮扶基地": (Result.INELIGIBLE, None, 1),
    }
    assert payout_list.lines.get(name="龙潭扶贫车间").id_number == world["big"].credit_code
    again = actions.build(users["county_a"], "workshop-reward", area(VILLAGE_A), "2025")
    assert list(again.lines.values_list("result", flat=True)) == [Result.DUPLICATE]
