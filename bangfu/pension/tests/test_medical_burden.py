"""医疗负担: a `medical-settlement` comparison (the project's proposal for EXCHANGE §3) keeps the settlements
of the rows matched exactly by ID, once however often the file is compared; the people whose yearly
personal burden passes the 医疗负担预警 line of their area are listed and exported; the 医疗倾斜政策
reference rule's estimator says what a settlement should have reimbursed, to the fen."""

import csv
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from bangfu.compare.sources import TYPES, clean_source_row
from bangfu.compare.tests.conftest import compare, write_source
from bangfu.conftest import COUNTY_A, area
from bangfu.pension import estimate, settlements
from bangfu.pension.models import BurdenRule, MedicalPreferenceRule, Settlement
from bangfu.pension.tests.factories import person

D = Decimal
TODAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def settlement_row(p, day, total, basic, personal, **extra):
    return {"姓名": p.name, "证件号码": p.id_number, "结算日期": day, "总费用": total, "基本医保支付": basic,
            "个人负担": personal, **extra}  # fmt: skip


@pytest.fixture
def world(users, tmp_path):
    BurdenRule.objects.create(
        region_prefix=COUNTY_A, effective_from=dt.date(2020, 1, 1), yearly_personal=5000
    )
    heavy, light = person("龙重病"), person("龙小病")
    rows = [
        settlement_row(heavy, "2026-02-01", "20000", "14000", "4000", 医疗类别="住院", 医院等级="二级",
                       大病保险支付="1500", 医疗救助支付="500"),
        settlement_row(heavy, "2026-05-01", "3000.50", "1800", "1200.50", 医疗类别="住院", 医院等级="一级"),
        settlement_row(light, "2026-03-01", "800", "600", "200", 医疗类别="门诊慢特病"),
        {"姓名": "外人", "证件号码": "433124199001019999", "结算日期": "2026-03-01", "总费用": "100",
         "个人负担": "100"},
    ]  # fmt: skip
    path = write_source(tmp_path / "医保结算.xlsx", rows)
    return {"heavy": heavy, "light": light, "path": path, "user": users["county_a"]}


def test_a_settlement_comparison_keeps_the_matched_settlements_once(world):
    compare(world["user"], "medical-settlement", world["path"], today=TODAY)
    kept = Settlement.objects.order_by("settled_on")
    assert [(s.person_id, s.settled_on.isoformat(), s.personal) for s in kept] == [
        (world["heavy"].pk, "2026-02-01", D("4000.00")),
        (world["light"].pk, "2026-03-01", D("200.00")),
        (world["heavy"].pk, "2026-05-01", D("1200.50")),
    ]
    first = kept.get(settled_on=dt.date(2026, 2, 1))
    assert (first.major, first.assistance, first.care_kind, first.hospital_level) == (
        D("1500"),
        D("500"),
        "住院",
        "二级",
    )
    compare(world["user"], "medical-settlement", world["path"], today=TODAY)
    assert Settlement.objects.count() == 3


def test_the_yearly_burden_above_the_line_is_listed_and_exported(world, client_for, tmp_path):
    compare(world["user"], "medical-settlement", world["path"], today=TODAY)
    heavy = settlements.burdens(area(COUNTY_A), 2026)
    assert [(b.person.name, b.settlements, b.personal, b.line) for b in heavy] == [
        ("龙重病", 2, D("5200.50"), D("5000.00"))
    ]
    assert settlements.burdens(area(COUNTY_A), 2025) == []
    out = tmp_path / "burden.csv"
    assert settlements.write(area(COUNTY_A), 2026, out) == 1
    with open(out, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == [world["heavy"].id_number, "龙重病", "土地村", "2026", "2", "23000.50", "15800.00",
                       "1500.00", "500.00", "5200.50", "5000.00"]  # fmt: skip
    page = client_for(world["user"]).get(reverse("pension:burden"), {"year": 2026}).content.decode()
    assert "龙重病" in page and "5200.50" in page and "龙小病" not in page.split("可能未享受")[0]


def test_without_a_burden_rule_nobody_is_listed(world):
    BurdenRule.objects.all().delete()
    compare(world["user"], "medical-settlement", world["path"], today=TODAY)
    assert settlements.burdens(area(COUNTY_A), 2026) == []


@pytest.fixture
def ankang(db):
    # The seeds' Ankang preferences: no inpatient deductible, +10 points capped at 90 %, 90 % at level-1
    # hospitals, major-illness deductible 3,000; chronic outpatient up to 1,000 a year.
    return MedicalPreferenceRule.objects.create(
        region_prefix="6109", effective_from=dt.date(2017, 1, 1), base_ratio=70, deductible=800,
        waive_deductible=True, ratio_bonus=10, ratio_cap=90, level1_ratio=90, major_deductible=3000,
        major_ratio=60, chronic_cap=1000, tolerance=100,
    )  # fmt: skip


def settled(total, basic=0, major=0, care="住院", level="二级"):
    return SimpleNamespace(
        total=D(total), basic=D(basic), major=D(major), care_kind=care, hospital_level=level
    )


def test_the_estimator_applies_the_preferences_to_the_fen(ankang):
    found = estimate.estimate(settled("20000", "14000"), ankang)
    # basic 20000 × 80 % = 16000; major (20000 − 16000 − 3000) × 60 % = 600
    assert (found.basic, found.major, found.shortfall, found.missed) == (
        D("16000.00"),
        D("600.00"),
        D("2600"),
        True,
    )
    level1 = estimate.estimate(settled("3000", "2700", level="一级"), ankang)
    assert (level1.basic, level1.major, level1.missed) == (D("2700.00"), D("0.00"), False)
    chronic = estimate.estimate(settled("2000", "1000", care="门诊慢特病"), ankang)
    assert (chronic.basic, chronic.missed) == (D("1000.00"), False)  # 2000 × 80 % capped at 1000
    ankang.waive_deductible, ankang.ratio_bonus, ankang.major_deductible = False, 5, 1500  # elsewhere
    other = estimate.estimate(settled("10000", "6000"), ankang)
    # basic (10000 − 800) × 75 % = 6900; major (10000 − 6900 − 1500) × 60 % = 960
    assert (other.basic, other.major, other.shortfall) == (D("6900.00"), D("960.00"), D("1860.00"))
    assert estimate.estimate(settled("500", care="普通门诊"), ankang) is None
    assert estimate.estimate(settled("500"), None) is None


@pytest.mark.parametrize(
    "cells, column, reason",
    [
        ({"总费用": "abc"}, "总费用", "最多两位小数的金额"),
        ({"个人负担": "1.234"}, "个人负担", "最多两位小数的金额"),
        ({"个人负担": "900", "基本医保支付": "200"}, "个人负担", "超过总费用"),
        ({"结算日期": ""}, "结算日期", "不能为空"),
        ({"医疗类别": "急诊"}, "医疗类别", "住院"),
    ],
)
def test_a_bad_settlement_row_names_the_column_and_reason(cells, column, reason):
    row = {
        "姓名": "甲",
        "证件号码": "x",
        "结算日期": "2026-01-01",
        "总费用": "1000",
        "个人负担": "100",
        **cells,
    }
    cleaned, errors = clean_source_row(TYPES["medical-settlement"], 2, row, TODAY)
    assert cleaned is None and any(e.column == column and reason in e.message for e in errors), errors
