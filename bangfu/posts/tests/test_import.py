"""`bangfu import posts` and `bangfu import duty` (EXCHANGE §10 and §4): every row checked with row, column
and reason in Chinese; the valid rows kept; importing again adds nothing; a 离岗日期 added later ends the
spell and its employment record; a crash saves nothing."""

import io
from unittest import mock

import pytest
from django.core.management import call_command

from bangfu.employment.models import EmploymentRecord
from bangfu.exchange.report import write_table
from bangfu.posts.models import Duty, Post, PostImport, Spell
from bangfu.referrals.tests.factories import VILLAGE_A, VILLAGE_B, make_person

POSTS = ["岗位编号", "行政区划代码", "岗位类型", "岗位名称", "证件号码", "姓名", "上岗日期", "离岗日期"]
DUTY = ["证件号码", "姓名", "年月", "在岗天数", "应出勤天数"]


def run(kind, path, *, report=None):
    out, err = io.StringIO(), io.StringIO()
    args = ["import", kind, str(path), "--area", "433124"] + (["--report", str(report)] if report else [])
    try:
        call_command(*args, stdout=out, stderr=err)
        return 0, out.getvalue()
    except SystemExit as exc:
        return exc.code, out.getvalue() + err.getvalue()


@pytest.fixture
def people(areas):
    return {name: make_person(name) for name in ("甲", "乙", "丙")} | {"外县": make_person("外县", VILLAGE_B)}


def test_a_posts_file_makes_posts_and_spells_and_again_changes_nothing(people, tmp_path):
    a, b = people["甲"], people["乙"]
    path = tmp_path / "岗位.xlsx"
    rows = [
        ["HY-001", VILLAGE_A, "乡村公益性岗位", "保洁员", a.id_number, "甲", "2025-01-01", "2025-06-30"],
        ["HY-001", VILLAGE_A, "乡村公益性岗位", "保洁员", b.id_number, "乙", "2025-07-01", ""],
        ["HY-002", "433124102", "就业帮扶公益性岗位", "护林员", "", "", "", ""],
    ]
    write_table(path, POSTS, rows)
    status, out = run("posts", path)
    assert status == 0 and "新增 4" in out
    assert Post.objects.count() == 2 and Spell.objects.count() == 2
    assert Post.objects.get(number="HY-002").area_id == "433124102000"
    assert EmploymentRecord.objects.filter(channel="公益性岗位").count() == 2
    b.refresh_from_db()
    assert b.employment_status == "县内务工"

    status, out = run("posts", path)
    assert status == 0 and "新增 0、更新 0、未变化 3" in out
    assert Spell.objects.count() == 2 and EmploymentRecord.objects.count() == 2

    rows[1][7] = "2025-11-30"  # 乙 left
    write_table(path, POSTS, rows)
    status, out = run("posts", path)
    assert "更新 1" in out
    assert Spell.objects.get(person=b).ended_on.isoformat() == "2025-11-30"
    assert EmploymentRecord.objects.get(person=b).ended_on.isoformat() == "2025-11-30"


def test_every_bad_row_is_named_and_the_rest_kept(people, tmp_path):
    a, c = people["甲"], people["丙"]
    path = tmp_path / "岗位.xlsx"
    write_table(
        path,
        POSTS,
        [
            ["HY-001", VILLAGE_A, "乡村公益性岗位", "保洁员", a.id_number, "甲", "2025-01-01", ""],
            ["HY-003", VILLAGE_A, "扫地岗", "保洁员", "", "", "", ""],
            ["HY-004", VILLAGE_B, "其他", "护路员", "", "", "", ""],
            ["HY-005", VILLAGE_A, "其他", "护路员", c.id_number, "丙丙", "2025-01-01", ""],
            ["HY-006", VILLAGE_A, "其他", "护路员", people["外县"].id_number, "外县", "2025-01-01", ""],
            ["HY-001", VILLAGE_A, "乡村公益性岗位", "保洁员", c.id_number, "丙", "2025-03-01", ""],
            ["HY-007", "433124", "其他", "护路员", "", "", "", ""],
        ],
    )
    report = tmp_path / "错误报告.xlsx"
    status, _ = run("posts", path, report=report)
    assert status == 3 and report.exists()
    batch = PostImport.objects.get()
    reasons = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert reasons[(3, "岗位类型")].startswith("只能填写：乡村公益性岗位")
    assert "不在导入区域" in reasons[(4, "行政区划代码")]
    assert reasons[(5, "姓名")] == "与名册中的姓名（丙）不一致"
    assert "名册中没有此证件号码" in reasons[(6, "证件号码")]
    assert "同期已有在岗人员 甲" in reasons[(7, "")]
    assert "乡镇" in reasons[(8, "行政区划代码")]
    assert batch.error_rows == 6 and batch.valid_rows == 1
    assert Spell.objects.count() == 1 and set(Post.objects.values_list("number", flat=True)) == {"HY-001"}


def test_a_crash_while_saving_leaves_nothing(people, tmp_path):
    a = people["甲"]
    path = tmp_path / "岗位.xlsx"
    write_table(path, POSTS, [["HY-001", VILLAGE_A, "其他", "保洁员", a.id_number, "甲", "2025-01-01", ""]])
    with (
        mock.patch("bangfu.posts.actions.employment.create_record", side_effect=RuntimeError("断电")),
        pytest.raises(RuntimeError),
    ):
        run("posts", path)
    assert not Post.objects.exists() and not Spell.objects.exists()
    assert PostImport.objects.get().status == "failed"


def test_a_duty_file_records_the_month_and_checks_each_row(people, tmp_path):
    from bangfu.posts.tests.factories import hold, post

    a, b, c = people["甲"], people["乙"], people["丙"]
    hold(a, post(VILLAGE_A))
    hold(b, post(VILLAGE_A))
    path = tmp_path / "出勤.xlsx"
    rows = [
        [a.id_number, "甲", "2025-10", 21, 22],
        [b.id_number, "乙", "2025年10月", 23, 22],
        [c.id_number, "丙", "2025-10", 20, 22],
        [a.id_number, "甲", "2025/10", 20, 22],
        [b.id_number, "乙", "2025-11", 20, 40],
    ]
    write_table(path, DUTY, rows)
    status, _ = run("duty", path)
    assert status == 3
    reasons = {(e["row"], e["column"]): e["message"] for e in PostImport.objects.get().errors}
    assert reasons == {
        (3, "在岗天数"): "不能多于应出勤天数（22 天）",
        (4, "证件号码"): "该人员 2025-10 不在导入区域（湖南省湘西土家族苗族自治州花垣县）的公益性岗位上",
        (5, ""): "与第 2 行重复（证件号码、年月相同）",
        (6, "应出勤天数"): "应在 1 到 30 天之间",
    }
    assert list(Duty.objects.values_list("person_id", "month", "days_on_duty")) == [(a.pk, "2025-10", 21)]
    write_table(path, DUTY, rows[:1])
    status, out = run("duty", path)
    assert status == 0 and "未变化 1" in out and Duty.objects.count() == 1
