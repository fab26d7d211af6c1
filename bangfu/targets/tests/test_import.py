"""`bangfu import targets` and 导入目标 (EXCHANGE §8 and §4): row, column and reason for every error; the
area's own subtree only; a split short of its parent refused with the shortfall named; re-import updates
without duplicates; nothing half-written; the exit statuses."""

import io
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bangfu.exchange.report import write_table
from bangfu.targets import actions, importer
from bangfu.targets.models import ImportStatus, Target, TargetImport

HEADER = ["年度", "区划代码", "指标", "目标值", "3月", "6月", "12月"]


def test_a_file_sets_targets_and_splits_them_and_a_second_import_changes_nothing(
    users, townships, employed, tmp_path
):
    t1, t2, t3 = townships[:3]
    path = tmp_path / "目标.xlsx"
    write_table(
        path,
        HEADER,
        [
            [2026, "433124", "务工人数", 100, 20, 50, 100],
            [2026, t1.code, "务工人数", 50, "", "", ""],
            [2026, t2.code[:9], "务工人数", 40, "", "", ""],
            [2026, t3.code, "务工人数", 10, "", "", ""],
        ],
    )
    out = io.StringIO()
    call_command("import", "targets", str(path), "--area", "433124", stdout=out)
    assert "新增目标 4" in out.getvalue()
    county = Target.objects.get(area_id="433124000000")
    assert county.value == 100 and county.months[2] == 20 and county.schedule(7) == 50
    assert Target.objects.filter(area__parent_id="433124000000", figure=employed).count() == 3

    again = io.StringIO()
    call_command("import", "targets", str(path), "--area", "433124", stdout=again)
    assert "新增目标 0、更新 0、未变化 4" in again.getvalue()
    assert Target.objects.count() == 4

    write_table(path, HEADER, [[2026, t1.code, "务工人数", 60, "", "", ""]])
    call_command("import", "targets", str(path), "--area", "433124", stdout=io.StringIO())
    assert Target.objects.get(area=t1).value == 60 and Target.objects.count() == 4


def test_a_split_short_of_its_parent_is_refused_naming_the_shortfall(users, townships, employed, tmp_path):
    actions.set_target(users["county_a"], users["county_a"].area, year=2026, figure=employed, value=100)
    t1, t2 = townships[:2]
    path = tmp_path / "分解.xlsx"
    write_table(
        path,
        HEADER,
        [[2026, t1.code, "务工人数", 50, "", "", ""], [2026, t2.code, "务工人数", 40, "", "", ""]],
    )
    report = tmp_path / "错误.xlsx"
    with pytest.raises(SystemExit) as rejected:
        call_command(
            "import", "targets", str(path), "--area", "433124", "--report", str(report), stderr=io.StringIO()
        )
    assert rejected.value.code == 3 and report.exists()
    batch = TargetImport.objects.get()
    assert batch.error_rows == 2 and batch.valid_rows == 0
    reasons = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    message = "2026年花垣县“务工人数”目标为 100，下级目标合计 90，还差 10，分解不能少于上级目标"
    assert set(reasons.values()) == {message}
    assert {column for _, column in reasons} == {"目标值"}
    assert not Target.objects.filter(area__parent_id="433124000000").exists()


def test_rows_outside_the_area_unknown_codes_and_repeats_are_errors_and_the_rest_is_kept(
    users, townships, tmp_path
):
    path = tmp_path / "混合.csv"
    write_table(
        path,
        HEADER,
        [
            [2026, "433123", "务工人数", 10, "", "", ""],  # 凤凰县: county B
            [2026, "433124999", "务工人数", 10, "", "", ""],
            [2026, townships[0].code, "务工人数", 10, "", "", ""],
            [2026, townships[0].code, "务工人数", 12, "", "", ""],
            [2026, townships[1].code, "劳务人数", 10, "", "", ""],
            [2026, townships[1].code, "有组织输出人数", 10, 5, 3, 10],
        ],
    )
    with pytest.raises(SystemExit):
        call_command("import", "targets", str(path), "--area", "433124", stderr=io.StringIO())
    batch = TargetImport.objects.get()
    errors = {e["row"]: (e["column"], e["message"]) for e in batch.errors}
    assert errors[2][1].startswith("不在导入区域（") and "只能为本区域及下级区域设定目标" in errors[2][1]
    assert errors[3] == ("区划代码", "没有这个区划代码")
    assert errors[5][1] == "与第 4 行是同一目标（年度、区划代码、指标相同）"
    assert errors[6][0] == "指标" and errors[6][1].startswith("只能填写：")
    assert errors[7] == ("6月", "月度目标为累计数，不能小于3月的 5")
    assert list(Target.objects.values_list("area_id", "value")) == [(townships[0].code, 10)]


def test_a_crash_while_saving_leaves_nothing_half_written(users, townships, tmp_path, monkeypatch):
    path = tmp_path / "目标.xlsx"
    write_table(path, HEADER, [[2026, t.code, "务工人数", 10, "", "", ""] for t in townships[:3]])
    real = actions._upsert
    calls = []

    def breaks_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("磁盘已满")
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "_upsert", breaks_on_the_third)
    batch = importer.create_target_import(area=users["county_a"].area, user=users["county_a"], path=path)
    with pytest.raises(RuntimeError):
        importer.run_target_import(batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "未保存任何目标" in batch.message
    assert not Target.objects.exists()


def test_an_unusable_file_fails_with_status_1_and_a_bad_area_is_a_usage_error(users, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("年度,指标\n", encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("import", "targets", str(empty), "--area", "433124")
    assert failed.value.returncode == 1
    with pytest.raises(CommandError) as usage:
        call_command("import", "targets", str(empty), "--area", "999999")
    assert usage.value.returncode == 2


def test_the_import_pages(users, townships, tmp_path, client_for):
    path = tmp_path / "乡镇目标.xlsx"
    write_table(
        path,
        HEADER,
        [[2026, townships[0].code, "务工人数", 10, "", "", ""], [2026, "433123", "务工人数", 1, "", "", ""]],
    )
    county = client_for(users["county_a"])
    with open(path, "rb") as fh:
        response = county.post(reverse("targets:import_new"), {"file": fh})
    batch = TargetImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("targets:import_detail", args=[batch.pk])
    page = county.get(response.url)
    assert "新增目标 1" in page.content.decode() and "下载错误报告（1 行）" in page.content.decode()
    report = county.get(reverse("targets:import_report", args=[batch.pk]))
    assert report.status_code == 200 and quote("错误报告") in report["Content-Disposition"]
    assert "乡镇目标.xlsx" in county.get(reverse("targets:import_list")).content.decode()
