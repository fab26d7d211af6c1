"""The month's 公益性岗位补贴 through the payout core (`bangfu payouts build welfare-post`): in a world
where each failed check is planted once — died in the month, already paid on another list, two posts in
the month, too few days on duty, moved out of the area — exactly those lines fail, each with its own
result, and exactly the rest is paid, to the yuan."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.conftest import COUNTY_A, area
from bangfu.payouts import actions as payouts
from bangfu.payouts import kinds
from bangfu.payouts.models import PayoutList
from bangfu.posts.tests.factories import duty, hold, post, subsidy
from bangfu.referrals.tests.factories import VILLAGE_A, VILLAGE_B, make_person
from bangfu.registry.models import Person

MONTH = "2026-10"
V2 = "433124105208"  # a village of another township of county A, with its own rule


@pytest.fixture
def world(users):
    subsidy()  # county A: 600 yuan for 20 days
    subsidy(region="433124105", amount="650.50", min_days=18)
    people = {}

    def holder(key, village=VILLAGE_A, days=22):
        person = people[key] = make_person(key, village)
        hold(person, post(village))
        duty(person, MONTH, days)
        return person

    holder("已发")  # paid on 土地村's list of the month before the others were on posts
    assert payouts.build(users["county_a"], "welfare-post", area(VILLAGE_A), MONTH).passed_count == 1
    holder("全勤")
    holder("他乡", village=V2, days=18)
    holder("已故")
    Person.objects.filter(pk=people["已故"].pk).update(is_deceased=True, died_on=dt.date(2026, 10, 15))
    holder("次月故")
    Person.objects.filter(pk=people["次月故"].pk).update(is_deceased=True, died_on=dt.date(2026, 11, 3))
    two = holder("两岗")
    hold(two, post(VILLAGE_A), started=dt.date(2025, 6, 1))
    holder("差一天", days=19)
    holder("搬走")
    Person.objects.filter(pk=people["搬走"].pk).update(area_id=VILLAGE_B)
    return people


def results(payout_list):
    found = {}
    for person_id, result, amount in payout_list.lines.values_list("person_id", "result", "amount"):
        found.setdefault(person_id, []).append((result, amount))
    return found


def test_each_planted_failure_is_flagged_and_the_rest_paid_to_the_yuan(world, users):
    p = world
    county = payouts.build(users["county_a"], "welfare-post", area(COUNTY_A), MONTH)
    found = results(county)
    six, odd = Decimal("600.00"), Decimal("650.50")
    assert found == {
        p["全勤"].pk: [("通过", six)],
        p["他乡"].pk: [("通过", odd)],
        p["次月故"].pk: [("通过", six)],
        p["已故"].pk: [("已故", None)],
        p["两岗"].pk: [("通过", six), ("一人多岗", None)],
        p["差一天"].pk: [("不符合条件", None)],
        p["已发"].pk: [("重复发放", None)],
        p["搬走"].pk: [("不符合条件", None)],
    }
    assert county.passed_count == 4 and county.failed_count == 5
    assert Decimal(county.total) == six * 3 + odd
    assert county.item == "公益性岗位补贴"


def test_the_command_builds_the_month_and_refuses_without_a_rule(users, tmp_path):
    person = make_person("命令")
    hold(person, post(VILLAGE_A))
    duty(person, MONTH, 21)
    out = io.StringIO()
    args = ["payouts", "build", "welfare-post", "--area", COUNTY_A, "--period", MONTH]
    with pytest.raises(CommandError, match="没有适用的公益性岗位补贴规则版本"):
        call_command(*args, "--output", str(tmp_path / "a.csv"), stdout=out)
    assert not PayoutList.objects.exists()
    subsidy()
    call_command(*args, "--output", str(tmp_path / "b.csv"), stdout=out)
    text = (tmp_path / "b.csv").read_text(encoding="utf-8-sig")
    assert "公益性岗位补贴" in text and "通过" in text and "600" in text


def test_the_kind_is_registered_for_the_core():
    kind = kinds.kind("welfare-post")
    assert kind.item == "公益性岗位补贴" and kind.period == "month"
