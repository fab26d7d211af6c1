"""职业培训补贴 through the payout core: a year's list of an area flags exactly the planted failures —
attendance below the rule, no certificate, deceased, a second completion in the year (重复发放) — and pays
the rest the rule's amount."""

import datetime as dt
from decimal import Decimal

import pytest

from bangfu.conftest import COUNTY_A, area
from bangfu.payouts import actions as payouts
from bangfu.payouts.models import Line
from bangfu.referrals.tests.factories import VILLAGE_B, make_person
from bangfu.training.tests.factories import course, subsidy, trained


@pytest.fixture
def world(areas):
    subsidy(amount="1200", min_attendance=80)
    weld = course(days=20)
    cook = course(kind="岗位技能培训", occupation="4-03-02-01", days=10)
    p = {key: make_person(key) for key in ("全勤", "刚够", "出勤不足", "无证书", "已故", "两个班")}
    trained(p["全勤"], weld)
    trained(p["刚够"], weld, days=16)  # 80%
    trained(p["出勤不足"], weld, days=15)  # 75%
    trained(p["无证书"], weld, certificate="")
    trained(p["已故"], weld)
    trained(p["两个班"], weld)
    trained(p["两个班"], cook, completed=dt.date(2026, 3, 25))
    p["已故"].is_deceased, p["已故"].died_on = True, dt.date(2026, 6, 1)
    p["已故"].save()
    outside = make_person("外县", VILLAGE_B)
    trained(outside, course("433123"))
    return p


def lines_of(users):
    payout_list = payouts.build(users["county_a"], "training-subsidy", area(COUNTY_A), "2026")
    return {
        (line.name, line.ref): (line.result, line.amount)
        for line in Line.objects.filter(payout_list=payout_list)
    }


def test_the_list_flags_exactly_the_planted_failures(world, users):
    found = lines_of(users)
    results = {name: result for (name, _), (result, _) in found.items() if name != "两个班"}
    assert results == {
        "全勤": "通过",
        "刚够": "通过",
        "出勤不足": "不符合条件",
        "无证书": "不符合条件",
        "已故": "已故",
    }
    two = sorted(result for (name, _), (result, _) in found.items() if name == "两个班")
    assert two == ["通过", "重复发放"]
    paid = {amount for (result, amount) in found.values() if result == "通过"}
    assert paid == {Decimal("1200.00")}
    assert "外县" not in {name for name, _ in found}
