"""`bangfu rules load` with the platform's optional column 认定类别: a version for the areas of the region
that carry a designation, beside the plain version of the same region and day; an unknown name refused with
the allowed ones; exported and loaded back unchanged; `rules show` names it."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from bangfu.areas.actions import Listing, add_designation
from bangfu.conftest import COUNTY_A, area
from bangfu.exchange.report import write_table
from bangfu.registry.models import LaborAgeRule
from bangfu.rules.kinds import HEADER
from bangfu.rules.load import validate_rules_file
from bangfu.rules.tests.test_rules_load import load

ROWS = [
    ["劳动年龄", "43", "2020-01-01", "最小年龄", "16", ""],
    ["劳动年龄", "43", "2020-01-01", "最大年龄", "60", ""],
    ["劳动年龄", "43", "2020-01-01", "最小年龄", "16", "重点帮扶县"],
    ["劳动年龄", "43", "2020-01-01", "最大年龄", "65", "重点帮扶县"],
    ["劳动年龄", "43", "2020-01-01", "最大年龄", "62", "示范县"],
]


def test_a_designation_version_loads_beside_the_plain_one_and_applies_where_designated(users, tmp_path):
    path = tmp_path / "规则.csv"
    write_table(path, [*HEADER[:5], "认定类别"], ROWS)
    checked = validate_rules_file(path, allow_past=True)
    [problem] = checked.problems
    [error] = problem.errors
    assert (problem.row_number, error.column) == (6, "认定类别")
    assert "没有这种认定类别" in error.message and "国家乡村振兴重点帮扶县" in error.message
    status, out, err = load(path)
    assert status == 3 and "新增规则版本 2 个" in out
    plain = LaborAgeRule.objects.get(region_prefix="43", designation="")
    key = LaborAgeRule.objects.get(region_prefix="43", designation="key_county")
    assert (plain.max_age, key.max_age) == (60, 65)
    add_designation(users["province"], Listing(area(COUNTY_A), "key_county", dt.date(2021, 8, 27)))
    village_a, village_b = "433124102201", "433123109225"
    assert LaborAgeRule.objects.in_force(village_a, dt.date(2021, 8, 26)) == plain
    assert LaborAgeRule.objects.in_force(village_a, dt.date(2021, 8, 27)) == key
    assert LaborAgeRule.objects.in_force(village_b, dt.date(2022, 1, 1)) == plain
    shown = StringIO()
    call_command("rules", "show", "--area", COUNTY_A, "--date", "2022-01-01", stdout=shown)
    assert "最大年龄 65（43的国家乡村振兴重点帮扶县，2020-01-01 起）" in shown.getvalue()
    # Exported with the column, and loaded back: nothing new, nothing changed.
    exported = tmp_path / "导出.xlsx"
    call_command("rules", "export", "--out", str(exported), stdout=StringIO())
    status, text, err = load(exported)
    assert status == 0, err
    assert "新增规则版本 0 个" in text and LaborAgeRule.objects.filter(region_prefix="43").count() == 2


def test_the_rules_page_adds_a_version_for_a_designation_beside_the_plain_one(client_for, users):
    from django.urls import reverse
    from django.utils import timezone

    client = client_for(users["province"])
    url = reverse("rules:new", kwargs={"code": "430000000000", "kind": "labor-age"})
    today = timezone.localdate().isoformat()
    plain = {"effective_from": today, "min_age": 16, "max_age": 60, "note": ""}
    assert client.post(url, plain).status_code == 302
    assert client.post(url, {**plain, "designation": "key_county", "max_age": 65}).status_code == 302
    again = client.post(url, {**plain, "designation": "key_county", "max_age": 66})
    assert again.status_code == 200 and "已有" in again.content.decode()
    stored = dict(LaborAgeRule.objects.filter(region_prefix="43").values_list("designation", "max_age"))
    assert stored == {"": 60, "key_county": 65}
    page = client.get(reverse("rules:area", kwargs={"code": "430000000000"})).content.decode()
    assert "国家乡村振兴重点帮扶县" in page
