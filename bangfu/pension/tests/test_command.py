"""`bangfu pension roster` writes EXCHANGE §12's columns with full ID numbers (audited); `bangfu pension
rates` one row per child area and the 合计 row; a bad area or file type is a usage error (status 2)."""

import csv
import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import COUNTY_A
from bangfu.pension.models import PremiumShareRule
from bangfu.pension.tests.factories import person


@pytest.fixture
def world(areas):
    PremiumShareRule.objects.create(
        region_prefix=COUNTY_A, effective_from=dt.date(2020, 1, 1), province_pct=80, city_pct=0, county_pct=20
    )
    return person("龙代缴"), person("龙特困", household_type="一般农户", is_tekun=True, birth="1970-02-02")


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_the_roster_command_writes_section_12(world, tmp_path):
    out = tmp_path / "roster.csv"
    call_command("pension", "roster", "--area", COUNTY_A, "--year", "2026", "--out", str(out))
    rows = read(out)
    assert rows[0] == ["证件号码", "姓名", "代缴类别", "代缴金额", "省级承担", "市级承担", "县级承担"]
    assert sorted(rows[1:]) == sorted(
        [
            [world[0].id_number, "龙代缴", "脱贫人口", "100.00", "80.00", "0.00", "20.00"],
            [world[1].id_number, "龙特困", "特困", "100.00", "80.00", "0.00", "20.00"],
        ]
    )
    assert AuditEvent.objects.filter(action=Action.EXPORT, message__contains="养老保险代缴名单 2 行").exists()


def test_the_rates_command_writes_a_row_per_child_and_the_total(world, tmp_path):
    out = tmp_path / "rates.csv"
    call_command("pension", "rates", "--area", COUNTY_A, "--out", str(out))
    rows = read(out)
    assert rows[0][:6] == [
        "区划代码",
        "区划名称",
        "养老参保率应参保人数",
        "养老参保率已参保人数",
        "养老参保率",
        "养老参保率目标",
    ]
    # 龙特困's household is a 一般农户: the rates count the people of 脱贫户 and 监测户 only.
    assert rows[-1][1] == "花垣县合计" and rows[-1][2:5] == ["1", "1", "100.0%"]


@pytest.mark.parametrize(
    "args",
    [
        ["--area", "99", "--year", "2026", "--out", "x.csv"],
        ["--area", COUNTY_A, "--year", "2026", "--out", "x.txt"],
    ],
)
def test_usage_errors(areas, args):
    with pytest.raises(CommandError) as error:
        call_command("pension", "roster", *args)
    assert error.value.returncode == 2
