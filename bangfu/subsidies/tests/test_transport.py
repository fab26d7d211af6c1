"""一次性交通补助 through the core: a planted world where each check fails once — the dead before the year
ended, paid on another list, too few months, moved out of the county — flags exactly those lines and pays
exactly the rest, to the yuan, by the rule of each person's area."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bangfu.conftest import area
from bangfu.payouts import actions
from bangfu.payouts.models import Result
from bangfu.subsidies.models import TransportRule
from bangfu.subsidies.tests.factories import VILLAGE_A, VILLAGE_A2, VILLAGE_B, laborer, record

COUNTY_A = "433124"


@pytest.fixture
def rules(db):
    TransportRule.objects.create(
        region_prefix="433124", effective_from=dt.date(2020, 1, 1), amount=500, min_months=3
    )
    TransportRule.objects.create(  # 龙潭镇 pays more, from 2025
        region_prefix="433124102", effective_from=dt.date(2025, 1, 1), amount=Decimal("650.50"), min_months=4
    )


@pytest.fixture
def world(users, rules):
    people = {}
    people["far"] = laborer("远行")  # 龙潭镇: 7 months 省外 → 650.50
    record(people["far"], "2025-02-01", "2025-08-31")
    people["near"] = laborer("近邻", VILLAGE_A2, "监测户")  # 民乐镇: Oct–Dec 省内县外 → 500
    record(people["near"], "2025-10-15", None, "省内县外")
    people["short"] = laborer("短工", VILLAGE_A2)  # 2 months: too few
    record(people["short"], "2025-11-01")
    people["dead"] = laborer("故去", VILLAGE_A2, died_on=dt.date(2025, 6, 1), is_deceased=True)
    record(people["dead"], "2025-01-01", "2025-05-31")
    people["later"] = laborer("后故", VILLAGE_A2, died_on=dt.date(2026, 1, 10), is_deceased=True)
    record(people["later"], "2025-03-01", "2025-12-31")  # died after the year: paid 500
    people["twice"] = laborer("两领")  # paid on 土地村's own list first
    record(people["twice"], "2025-01-01", "2025-12-31")
    people["moved"] = laborer("迁走", VILLAGE_B)  # registered in county A's village, lives in county B now
    record(people["moved"], "2025-01-01", "2025-06-30", village=VILLAGE_A2)
    people["general"] = laborer("一般", VILLAGE_A2, "一般农户")  # not a 脱贫户 or 监测户: not proposed
    record(people["general"], "2025-01-01", "2025-12-31")
    people["home"] = laborer("县内", VILLAGE_A2)  # worked in the county: not proposed
    record(people["home"], "2025-01-01", "2025-12-31", "县内")
    people["mixed"] = laborer("混合", VILLAGE_A2)  # 2 months 县内 and 3 months 省外: 3 away months → 500
    record(people["mixed"], "2025-01-01", "2025-02-28", "县内")
    record(people["mixed"], "2025-04-10", "2025-06-05")
    people["old"] = laborer("去年", VILLAGE_A2)  # worked away only in 2024
    record(people["old"], "2024-01-01", "2024-12-31")
    return people


def test_each_planted_failure_is_flagged_and_the_rest_paid_to_the_yuan(world, users):
    county = users["county_a"]
    first = actions.build(county, "transport", area(VILLAGE_A), "2025")
    assert dict(first.lines.values_list("name", "result")) == {"远行": Result.PASSED, "两领": Result.PASSED}
    payout_list = actions.build(county, "transport", area(COUNTY_A), "2025")
    got = {line.name: (line.result, line.amount, line.quantity) for line in payout_list.lines.all()}
    assert got == {
        "远行": (Result.DUPLICATE, None, 7),  # already on 土地村's list
        "近邻": (Result.PASSED, Decimal("500.00"), 3),
        "短工": (Result.INELIGIBLE, None, 2),
        "故去": (Result.DECEASED, None, 5),
        "后故": (Result.PASSED, Decimal("500.00"), 10),
        "两领": (Result.DUPLICATE, None, 12),
        "迁走": (Result.INELIGIBLE, None, 6),
        "混合": (Result.PASSED, Decimal("500.00"), 3),
    }
    assert payout_list.total == Decimal("1500.00") and first.total == Decimal("1301.00")
    notes = dict(payout_list.lines.values_list("name", "note"))
    assert notes["短工"] == "外出务工 2 个月，少于最短务工月数 3"
    assert "区域" in notes["迁走"]


def test_no_rule_in_force_no_list(users):
    with pytest.raises(ValidationError) as error:
        actions.build(users["county_a"], "transport", area(COUNTY_A), "2025")
    assert "没有生效的一次性交通补助规则" in error.value.messages[0]


def test_the_command_writes_the_exchange_rows(world, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "交通补助.csv"
    call_command(
        "payouts", "build", "transport", "--area", COUNTY_A, "--period", "2025", "--output", str(out)
    )
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "证件号码,姓名,补贴项目,期间,金额,校验结果,说明"
    rows = {line.split(",")[1]: line.split(",") for line in lines[1:]}
    assert rows["近邻"][0] == world["near"].id_number and rows["近邻"][2:6] == [
        "一次性交通补助",
        "2025",
        "500.00",
        "通过",
    ]
    assert rows["短工"][4:6] == ["", "不符合条件"] and len(rows) == 8


def test_the_command_refuses_without_a_rule(users):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("payouts", "build", "transport", "--area", "433123", "--period", "2025")
    assert error.value.returncode == 1
