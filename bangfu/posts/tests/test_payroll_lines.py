"""The program's own part of the month's payroll (posts/payroll.py `insert`, through the payout core's
build): who is proposed, at which amount, and which lines the program itself fails (一人多岗, 不符合条件),
planted one by one. The core's own checks are tested in test_payroll.py and bangfu/payouts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bangfu.conftest import COUNTY_A, area
from bangfu.payouts import actions
from bangfu.posts import payroll
from bangfu.posts.tests.factories import duty, hold, post, subsidy
from bangfu.referrals.tests.factories import VILLAGE_A, VILLAGE_B, make_person

MONTH = "2026-10"
V2 = "433124105208"  # a village of another township of county A


@pytest.fixture
def world(areas):
    subsidy()  # county A: 600 a month for 20 days
    subsidy(region="433124105", amount="650", min_days=18)  # that township: its own rule
    people = {}

    def holder(key, village=VILLAGE_A, days=22, **spell):
        person = people[key] = make_person(key, village)
        hold(person, post(village), **spell)
        if days is not None:
            duty(person, MONTH, days)
        return person

    holder("全勤")
    holder("刚够", days=20)
    holder("差一天", days=19)
    holder("未报", days=None)
    holder("月中离岗", ended=dt.date(2026, 10, 12), days=8)
    holder("月中上岗", started=dt.date(2026, 10, 20), days=None)
    holder("上月离岗", ended=dt.date(2026, 9, 30), days=None)
    holder("下月上岗", started=dt.date(2026, 11, 2), days=None)
    two = holder("两岗")
    hold(two, post(VILLAGE_A), started=dt.date(2025, 6, 1))
    holder("他乡", village=V2, days=18)
    other = people["外县"] = make_person("外县", VILLAGE_B)
    hold(other, post(VILLAGE_B))
    return people


def by_person(place):
    """The lines of a new list for `place` and the month, by person, in the list's order."""
    payout_list = actions.build(None, "welfare-post", place, MONTH)
    found = {}
    for line in payout_list.lines.order_by("id"):
        found.setdefault(line.person_id, []).append(line)
    return found


def test_every_spell_held_in_the_month_is_proposed_once_with_its_verdict(world):
    lines = by_person(area(COUNTY_A))
    p = world
    assert [(x.proposed, x.failed) for x in lines[p["全勤"].pk]] == [(Decimal("600.00"), "")]
    assert [(x.proposed, x.failed) for x in lines[p["刚够"].pk]] == [(Decimal("600.00"), "")]
    assert [(x.proposed, x.failed) for x in lines[p["差一天"].pk]] == [(None, "不符合条件")]
    assert "少于最低在岗天数 20 天" in lines[p["差一天"].pk][0].note
    assert [(x.proposed, x.failed) for x in lines[p["未报"].pk]] == [(None, "不符合条件")]
    assert "未填报出勤" in lines[p["未报"].pk][0].note
    assert [(x.proposed, x.failed) for x in lines[p["月中离岗"].pk]] == [(None, "不符合条件")]
    assert [(x.proposed, x.failed) for x in lines[p["月中上岗"].pk]] == [(None, "不符合条件")]
    assert p["上月离岗"].pk not in lines and p["下月上岗"].pk not in lines
    assert p["外县"].pk not in lines
    assert [(x.proposed, x.failed) for x in lines[p["他乡"].pk]] == [(Decimal("650.00"), "")]


def test_a_second_post_in_the_month_fails_as_two_posts_naming_the_one_paid(world):
    lines = by_person(area(COUNTY_A))[world["两岗"].pk]
    assert [(x.proposed, x.failed) for x in lines] == [(Decimal("600.00"), ""), (None, "一人多岗")]
    assert lines[0].ref in lines[1].note and lines[0].ref != lines[1].ref


def test_a_township_sees_only_its_posts(world):
    lines = by_person(area("433124105"))
    assert set(lines) == {world["他乡"].pk}


def test_without_a_rule_version_there_is_no_payroll_and_a_clear_message(areas):
    person = make_person("无规则")
    hold(person, post(VILLAGE_A))
    message = payroll.refusal(area(COUNTY_A), MONTH)
    assert "没有适用的公益性岗位补贴规则版本" in message and "土地村" in message
    with pytest.raises(ValidationError):
        actions.build(None, "welfare-post", area(COUNTY_A), MONTH)
    subsidy(since=dt.date(2026, 11, 1))  # not yet in force on 31 October
    assert payroll.refusal(area(COUNTY_A), MONTH)
    subsidy(since=dt.date(2026, 10, 31))
    assert payroll.refusal(area(COUNTY_A), MONTH) == ""


def test_a_bad_period_is_refused(areas):
    assert "YYYY-MM" in payroll.refusal(area(COUNTY_A), "2026-13")
    assert "YYYY-MM" in payroll.refusal(area(COUNTY_A), "2026")
