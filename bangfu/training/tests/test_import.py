"""A provider's enrolment roster (EXCHANGE §13): every row checked with row, column and reason in Chinese,
the valid rows kept, importing it again changes nothing, a later roster updates results."""

import datetime as dt

import pytest

from bangfu.conftest import COUNTY_A, area
from bangfu.exchange.report import write_table
from bangfu.referrals.tests.factories import VILLAGE_B, make_person
from bangfu.training.importer import create_import, run_import
from bangfu.training.models import Enrolment
from bangfu.training.tests.factories import course

HEADER = [
    "班级编号",
    "证件号码",
    "姓名",
    "报名日期",
    "出勤天数",
    "培训结果",
    "结业日期",
    "证书类型",
    "证书编号",
]


@pytest.fixture
def world(areas):
    weld = course(number="HG-1", capacity=3, days=15)
    people = {key: make_person(key) for key in ("甲", "乙", "丙", "丁")}
    people["外县"] = make_person("外县", VILLAGE_B)
    return weld, people


def run(tmp_path, rows, users, name="roster.xlsx"):
    path = tmp_path / name
    write_table(path, HEADER, rows)
    return run_import(create_import(area=area(COUNTY_A), user=users["county_a"], path=path))


def test_valid_rows_are_kept_and_each_bad_row_says_why(world, users, tmp_path):
    _weld, p = world
    rows = [
        ["HG-1", p["甲"].id_number, "甲", "2026-03-01", 15, "结业", "2026-03-20", "培训合格证书", "Z1"],
        ["HG-1", p["乙"].id_number, "乙", "2026-03-01", 10, "在训", "", "", ""],
        ["HG-9", p["丙"].id_number, "丙", "", "", "", "", "", ""],  # no such course
        ["HG-1", p["丙"].id_number, "丙丙", "", "", "", "", "", ""],  # name differs
        ["HG-1", p["外县"].id_number, "外县", "", "", "", "", "", ""],  # not in county A
        ["HG-1", p["丁"].id_number, "丁", "", 16, "", "", "", ""],  # more days than the course
        ["HG-1", p["丁"].id_number, "丁", "", "", "结业", "", "", ""],  # 结业 without a day
        ["HG-1", p["丁"].id_number, "丁", "", "", "结业", "2026-03-20", "培训合格证书", ""],  # no number
        ["HG-1", p["甲"].id_number, "甲", "", "", "", "", "", ""],  # repeats row 2
        ["HG-1", "123", "某", "", "", "", "", "", ""],  # not an ID
    ]
    batch = run(tmp_path, rows, users)
    assert (batch.total_rows, batch.valid_rows, batch.error_rows, batch.created) == (10, 2, 8, 2)
    reasons = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert "没有此班级编号" in reasons[(4, "班级编号")]
    assert "与名册中的姓名（丙）不一致" in reasons[(5, "姓名")]
    assert "名册中没有此证件号码" in reasons[(6, "证件号码")]
    assert "不能多于该班培训天数（15 天）" in reasons[(7, "出勤天数")]
    assert "培训结果为结业时必填" in reasons[(8, "结业日期")]
    assert "证书类型和证书编号要一起填写" in reasons[(9, "证书编号")]
    assert "与第 2 行重复" in reasons[(10, "")]
    assert (11, "证件号码") in reasons
    done = Enrolment.objects.get(person=p["甲"])
    assert (done.status, done.completed_on, done.certificate_number) == ("结业", dt.date(2026, 3, 20), "Z1")
    assert Enrolment.objects.get(person=p["乙"]).days_attended == 10


def test_importing_again_changes_nothing_and_a_later_roster_updates(world, users, tmp_path):
    _weld, p = world
    rows = [["HG-1", p["乙"].id_number, "乙", "2026-03-01", 10, "在训", "", "", ""]]
    first = run(tmp_path, rows, users)
    again = run(tmp_path, rows, users, name="again.xlsx")
    assert (first.created, again.created, again.updated, again.unchanged) == (1, 0, 0, 1)
    later = [["HG-1", p["乙"].id_number, "乙", "2026-03-01", 14, "结业", "2026-03-20", "", ""]]
    batch = run(tmp_path, later, users, name="later.xlsx")
    assert (batch.created, batch.updated) == (0, 1)
    assert Enrolment.objects.filter(person=p["乙"]).count() == 1
    back = run(tmp_path, rows, users, name="back.xlsx")  # 结业 cannot go back to 在训
    assert back.error_rows == 1 and "不能改回在训" in back.errors[0]["message"]


def test_a_full_course_refuses_the_rows_beyond_its_capacity(world, users, tmp_path):
    _weld, p = world
    rows = [["HG-1", p[k].id_number, k, "", "", "", "", "", ""] for k in ("甲", "乙", "丙", "丁")]
    batch = run(tmp_path, rows, users)
    assert (batch.created, batch.error_rows) == (3, 1)
    assert "培训班已满" in batch.errors[0]["message"] and batch.errors[0]["row"] == 5
