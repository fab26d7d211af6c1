"""养老保险代缴 (EXCHANGE §12): a planted world with known eligibility — each group, each boundary of age and
status, students, the dead, people enrolled in another scheme — and a 6:4 region:city rule for 广州市's
districts and 8:2 region:county for 花垣县 gives exactly the designed roster and shares, to the yuan; the
payout core confirms the same people and marks the rest with the check they fail."""

import datetime as dt
from decimal import Decimal

import pytest

from bangfu.conftest import COUNTY_A, VILLAGE_A, area
from bangfu.payouts import actions
from bangfu.payouts.models import Result
from bangfu.payouts.shares import by_level
from bangfu.pension import roster
from bangfu.pension.models import PremiumRule, PremiumShareRule
from bangfu.pension.tests.factories import person, village_of

YEAR = 2026
VILLAGE_A2 = "433124103003"  # 民河社区, 民乐镇, county A
D = Decimal


@pytest.fixture
def rules(db):
    PremiumShareRule.objects.create(  # a county: 8:2 region:county
        region_prefix=COUNTY_A, effective_from=dt.date(2020, 1, 1), province_pct=80, city_pct=0, county_pct=20
    )
    PremiumShareRule.objects.create(  # a city's districts: 6:4 region:city
        region_prefix="4401", effective_from=dt.date(2020, 1, 1), province_pct=60, city_pct=40, county_pct=0
    )
    PremiumRule.objects.create(region_prefix="4401", effective_from=dt.date(2025, 1, 1), amount=D("200"))
    PremiumShareRule.objects.create(  # a later version, not yet in force for 2026
        region_prefix=COUNTY_A, effective_from=dt.date(2027, 1, 1), province_pct=50, city_pct=0, county_pct=50
    )


@pytest.fixture
def world(areas, rules):
    haizhu = village_of("440105")
    made = {
        "脱贫": person("脱贫"),
        "监测": person("监测", household_type="监测户"),
        "低保": person("低保", household_type="一般农户", is_dibao=True),
        "特困": person("特困", household_type="一般农户", is_tekun=True),
        "重残": person(
            "重残", household_type="一般农户", disability_grade="二级", disability_category="肢体残疾"
        ),
        "三级残": person("三级残", household_type="一般农户", disability_grade="三级"),
        "一般": person("一般", household_type="一般农户"),
        "双重": person("双重", is_dibao=True, is_tekun=True),  # 脱贫户 and 低保: the first group names it
        "暂停": person("暂停", VILLAGE_A2, pension_status="暂停缴费"),
        "终止": person("终止", pension_status="终止参保"),
        "未参保": person("未参保", pension_insurance="", pension_status=""),
        "企业": person(
            "企业", household_type="监测户", pension_insurance="企业职工养老保险"
        ),  # enrolled elsewhere
        "领取": person("领取", pension_status="领取待遇"),
        "学生": person("学生", student_status="本科及以上", birth="2005-03-01"),
        "非在校": person("非在校", student_status="非在校生", birth="2005-03-01"),
        "满16": person("满16", birth="2010-01-01"),  # 16 on 1 January
        "差一天": person("差一天", birth="2010-01-02"),  # 15 on 1 January: too young all year
        "59": person("59", birth="1966-01-02"),  # 59 on 1 January
        "满60": person("满60", birth="1966-01-01"),  # 60 on 1 January
        "已故": person("已故", is_deceased=True, died_on=dt.date(2025, 11, 2)),
        "海珠": person("海珠", haizhu),
        "海珠低保": person("海珠低保", haizhu, household_type="一般农户", is_dibao=True),
        "凤凰": person("凤凰", "433123109225"),  # county B
    }
    return made


def by_name(rows):
    return {row[1]: row for row in rows}


def test_the_roster_is_exactly_the_designed_people_with_their_group_amount_and_shares(world):
    got = by_name(roster.rows(area(COUNTY_A), YEAR))
    county = ("100.00", "80.00", "0.00", "20.00")
    assert got == {
        name: [world[name].id_number, name, group, *county]
        for name, group in {
            "脱贫": "脱贫人口", "监测": "监测对象", "低保": "低保", "特困": "特困", "重残": "重度残疾",
            "双重": "脱贫人口", "暂停": "脱贫人口", "非在校": "脱贫人口", "满16": "脱贫人口",
            "59": "脱贫人口",
        }.items()
    }  # fmt: skip
    haizhu = by_name(roster.rows(area("440105"), YEAR))
    assert haizhu == {
        "海珠": [world["海珠"].id_number, "海珠", "脱贫人口", "200.00", "120.00", "80.00", "0.00"],
        "海珠低保": [world["海珠低保"].id_number, "海珠低保", "低保", "200.00", "120.00", "80.00", "0.00"],
    }


def test_the_totals_roll_up_per_child_area_to_the_yuan(world):
    children, whole = roster.totals(area(COUNTY_A), YEAR, [area("433124102"), area("433124103")])
    assert whole.people == 10 and whole.amount == D("1000")
    assert whole.shares == [("省级", D("800")), ("市级", D("0")), ("县级", D("200"))]
    assert whole.by_group == {"脱贫人口": 6, "监测对象": 1, "低保": 1, "特困": 1, "重度残疾": 1}
    assert [(child.code[:9], t.people, t.amount) for child, t in children] == [
        ("433124102", 9, D("900")),
        ("433124103", 1, D("100")),
    ]


def test_without_a_share_rule_the_amount_stands_and_the_shares_are_empty(world):
    PremiumShareRule.objects.filter(region_prefix="4401").delete()
    assert {row[1]: row[3:] for row in roster.rows(area("440105"), YEAR)} == {
        "海珠": ["200.00", "", "", ""],
        "海珠低保": ["200.00", "", "", ""],
    }
    _, whole = roster.totals(area("440105"), YEAR, [])
    assert whole.amount == D("400") and whole.unshared == D("400")


def test_the_payout_core_confirms_the_roster_and_flags_the_rest(world, users):
    payout_list = actions.build(users["county_a"], "pension-premium", area(COUNTY_A), str(YEAR))
    got = {line.name: (line.result, line.amount, line.ref) for line in payout_list.lines.all()}
    passed = {name for name, (result, _, _) in got.items() if result == Result.PASSED}
    assert passed == {row[1] for row in roster.rows(area(COUNTY_A), YEAR)}
    assert all(amount == D("100.00") for result, amount, _ in got.values() if result == Result.PASSED)
    assert got["双重"][2] == "脱贫人口" and got["重残"][2] == "重度残疾"
    assert {name: result for name, (result, _, _) in got.items() if result != Result.PASSED} == {
        "终止": Result.INELIGIBLE,
        "未参保": Result.INELIGIBLE,
        "企业": Result.INELIGIBLE,
        "领取": Result.INELIGIBLE,
        "学生": Result.INELIGIBLE,
        "已故": Result.DECEASED,
    }
    notes = dict(payout_list.lines.values_list("name", "note"))
    assert notes["学生"] == "在校生，不在代缴范围" and notes["企业"] == "未参加城乡居民养老保险"
    assert payout_list.total == D("1000.00")
    assert by_level(payout_list)["levels"] == [("省级", D("800.00")), ("市级", D("0")), ("县级", D("200.00"))]


def test_a_person_already_on_another_list_of_the_year_is_a_duplicate(world, users):
    first = actions.build(users["county_a"], "pension-premium", area(VILLAGE_A), str(YEAR))
    assert first.passed_count == 9
    whole = actions.build(users["county_a"], "pension-premium", area(COUNTY_A), str(YEAR))
    results = dict(whole.lines.values_list("name", "result"))
    assert results["暂停"] == Result.PASSED and results["脱贫"] == Result.DUPLICATE
    assert whole.passed_count == 1 and whole.total == D("100.00")


def test_a_county_rule_of_a_later_year_applies_from_that_year(world):
    rows = by_name(roster.rows(area(COUNTY_A), 2027))
    # In 2027: the 8:2 version gave way to 5:5; 满16 is older, 59 is now 60 (out), 差一天 is 16 now (in).
    assert rows["脱贫"][3:] == ["100.00", "50.00", "0.00", "50.00"]
    assert "59" not in rows and "差一天" in rows
