"""Files that cannot be used fail the run with a clear Chinese message and change nothing; bad rows are
reported by row and column while the others are compared; the command's exit codes and results.csv."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.audit.models import AuditEvent
from bangfu.compare.models import Finding, RunStatus, Status
from bangfu.compare.tests.conftest import LONG, MA, SHI, WU, compare, fresh, lines, write_source
from bangfu.exchange.spreadsheet import Column, open_sheet
from bangfu.registry.models import Change

pytestmark = pytest.mark.django_db


def test_death_file_given_as_social_insurance_is_refused(users, people, tmp_path):
    path = write_source(
        tmp_path / "死亡.xlsx", [{"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"}]
    )
    run = compare(users["county_a"], "social-insurance", path, auto_apply=["death", "pension"])
    assert run.status == RunStatus.FAILED
    assert "险种" in run.message and "看起来是「死亡」数据" in run.message
    assert not Finding.objects.filter(run=run).exists()
    assert not fresh(people["long"]).is_deceased and not Change.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "空的"),
        ("姓名,证件号码\n".encode("gbk"), "缺少「死亡」数据的必填列：死亡日期"),
        ("姓名,证件号码,死亡日期\n".encode("gbk"), "没有数据行"),
        (b"\x00\x01\x02binary\x00\x00" * 50, "CSV"),
    ],
)
def test_whole_file_errors(users, people, tmp_path, content, expected):
    path = tmp_path / "死亡.csv"
    path.write_bytes(content)
    run = compare(users["county_a"], "death", path, auto_apply=["death"])
    assert run.status == RunStatus.FAILED and expected in run.message, run.message
    assert not Finding.objects.filter(run=run).exists() and not Change.objects.exists()


def test_bad_rows_are_reported_and_the_rest_compared(users, people, tmp_path):
    rows = [
        {"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01", "性别": "男"},
        {"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01", "性别": "男"},  # duplicate row
        {"姓名": "石秀英", "证件号码": SHI, "死亡日期": "2025-13-45"},  # bad date
        {"姓名": "吴建国", "证件号码": WU, "死亡日期": "2026-01-01"},  # after today
        {"姓名": "麻老三", "证件号码": MA, "死亡日期": "2025-02-02", "性别": "未知"},
        {"姓名": "", "证件号码": MA, "死亡日期": "2025-02-02"},
    ]
    path = write_source(tmp_path / "死亡.csv", rows, encoding="gb18030")
    run = compare(users["county_a"], "death", path)
    assert run.status == RunStatus.DONE and run.total_rows == 6 and run.error_rows == 5
    report = open_sheet(run.report.path, [Column("原行号", required=True), Column("错误原因")])
    reasons = {r.raw[0]: r.raw[-1] for r in report.rows()}
    assert "与第3行完全相同" in reasons[4]
    assert "死亡日期「2025-13-45」：不是有效日期" in reasons[5]
    assert "晚于今天" in reasons[6]
    assert "性别「未知」：只能填写：男、女" in reasons[7]
    assert "姓名（空）：不能为空" in reasons[8]
    results = lines(run)
    assert [r["源行号"] for r in results] == ["3", "4", "5", "6", "7", "8"]
    assert results[0]["匹配结果"] == "精确匹配" and results[0]["匹配证件号码"] == LONG
    # The duplicate is the same person: it carries the first row's link, and says why it was not compared.
    assert results[1]["匹配结果"] == "精确匹配" and results[1]["匹配证件号码"] == LONG
    assert results[1]["匹配概率"] == results[0]["匹配概率"]
    assert "与第3行完全相同（重复行）" in results[1]["差异"]
    assert results[2]["匹配结果"] == "未匹配" and "该行有错误" in results[2]["差异"]
    assert Finding.objects.filter(run=run, status=Status.OPEN).count() == 1


def test_a_file_of_only_bad_rows_fails_with_its_report_and_changes_nothing(users, people, tmp_path, settings):
    rows = [
        {"姓名": "龙春生", "证件号码": LONG, "死亡日期": "不详"},
        {"姓名": "石秀英", "证件号码": SHI, "死亡日期": "2025-13-45"},
    ]
    run = compare(
        users["county_a"], "death", write_source(tmp_path / "死亡.xlsx", rows), auto_apply=["death"]
    )
    assert run.status == RunStatus.FAILED and "所有数据行都有错误" in run.message, run.message
    report = open_sheet(run.report.path, [Column("原行号", required=True), Column("错误原因")])
    assert sorted(r.raw[0] for r in report.rows()) == [3, 4]
    assert run.report.name.endswith("-错误报告.xlsx")
    stored = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert stored == sorted([Path(run.file.name).name, Path(run.report.name).name])  # nothing else left
    assert not Finding.objects.filter(run=run).exists() and not Change.objects.exists()
    assert not fresh(people["long"]).is_deceased


def test_utf8_bom_csv_and_title_rows(users, people, tmp_path):
    path = tmp_path / "残联.csv"
    path.write_text(
        f"残疾人名单\n\n姓名,身份证号,残疾类别,残疾等级\n吴建国,{WU},肢体残疾,三级\n", encoding="utf-8-sig"
    )
    run = compare(users["county_a"], "disability", path)
    assert run.status == RunStatus.DONE, run.message
    assert [r["源行号"] for r in lines(run)] == ["4"]


def test_command_writes_results_csv_and_exits_3_with_rejected_rows(users, people, tmp_path):
    rows = [
        {"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"},
        {"姓名": "查无此人", "证件号码": "433124199901010000", "死亡日期": "2025-03-01"},
        {"姓名": "石秀英", "证件号码": SHI, "死亡日期": "不详"},
    ]
    path = write_source(tmp_path / "死亡.xlsx", rows)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as info:
        call_command(
            "compare",
            "death",
            str(path),
            "--area",
            "433124",
            "--out",
            str(out),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert info.value.code == 3
    data = (out / "results.csv").read_bytes()
    # As Python's csv module writes it (EXCHANGE.md §4): a byte-order mark, CRLF, quotes only where needed.
    again = io.StringIO(newline="")
    csv.writer(again).writerows(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert data == b"\xef\xbb\xbf" + again.getvalue().encode("utf-8")
    assert data.count(b"\r\n") == 4 and data.count(b"\n") == 4
    text = data.decode("utf-8-sig")
    header, *body = text.splitlines()
    assert header == "源行号,源姓名,源证件号码,匹配结果,匹配证件号码,匹配概率,差异"
    assert body[0].startswith(f"3,龙春生,{LONG},精确匹配,{LONG},1.0000,")
    assert body[1].startswith("4,查无此人,433124199901010000,未匹配,,,")
    assert body[2].startswith(f"5,石秀英,{SHI},未匹配,,,该行有错误")
    assert (out / "错误报告.xlsx").exists()
    assert not fresh(people["long"]).is_deceased  # the command applies nothing unless told to


def test_command_exit_codes(users, people, tmp_path):
    good = write_source(
        tmp_path / "死亡.xlsx", [{"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"}]
    )
    out = tmp_path / "out"
    call_command(
        "compare",
        "death",
        str(good),
        "--area",
        "433124",
        "--out",
        str(out),
        "--apply",
        "death",
        stdout=io.StringIO(),
    )
    assert fresh(people["long"]).is_deceased  # --apply death: applied automatically
    assert AuditEvent.objects.filter(channel="命令行", message__contains="自动应用").exists()
    with pytest.raises(CommandError) as info:
        call_command("compare", "social-insurance", str(good), "--area", "433124", "--out", str(out))
    assert info.value.returncode == 1 and "死亡" in str(info.value)
    with pytest.raises(CommandError) as info:
        call_command("compare", "death", str(tmp_path / "nope.xlsx"), "--area", "433124", "--out", str(out))
    assert info.value.returncode == 2
    with pytest.raises(CommandError) as info:
        call_command("compare", "death", str(good), "--area", "999999", "--out", str(out))
    assert info.value.returncode == 2
    with pytest.raises(CommandError) as info:
        call_command(
            "compare", "death", str(good), "--area", "433124", "--out", str(out), "--threshold", "1.5"
        )
    assert info.value.returncode == 2


def test_unknown_source_type_is_a_usage_error(tmp_path):
    from bangfu.core.tests.test_cli import bangfu

    result = bangfu(
        "compare", "weather", "x.csv", "--area", "433124", "--out", str(tmp_path), env_dir=tmp_path
    )
    assert result.returncode == 2 and "death" in result.stderr


def test_results_csv_is_formula_safe(users, people, tmp_path):
    """results.csv repeats what the department's file said: a name or ID that Excel would run as a
    formula is written with a leading apostrophe (exchange.report.formula_safe), as every CSV export."""
    rows = [
        {"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"},
        {"姓名": '=HYPERLINK("http://example.com","点")', "证件号码": "-2+3", "死亡日期": "2025-03-01"},
        {"姓名": "@SUM(A1)", "证件号码": "+8613812345678", "死亡日期": "不详"},
    ]
    run = compare(users["county_a"], "death", write_source(tmp_path / "死亡.csv", rows, encoding="utf-8"))
    assert run.status == RunStatus.DONE, run.message
    results = lines(run)
    assert [(r["源姓名"], r["源证件号码"]) for r in results] == [
        ("龙春生", LONG),
        ('\'=HYPERLINK("http://example.com","点")', "'-2+3"),
        ("'@SUM(A1)", "'+8613812345678"),
    ]
    assert not any(value and value[0] in "=+-@\t\r" for r in results for value in r.values())


def test_a_footer_under_the_data_is_not_compared(users, people, tmp_path):
    """填表人, 填表日期 … under a department's data are its footer (exchange.spreadsheet.is_footer)."""
    path = tmp_path / "死亡.csv"
    path.write_text(
        "县民政局死亡人员名单\n姓名,证件号码,死亡日期\n"
        f"龙春生,{LONG},2025-03-01\n\n\n填表人：张三,,审核人：李四\n填表日期：2025年3月5日\n",
        encoding="gbk",
    )
    run = compare(users["county_a"], "death", path)
    assert run.total_rows == 1 and run.error_rows == 0, run.message
    assert [r["源行号"] for r in lines(run)] == ["3"]
    assert "表格末尾的第6–7行是填表人、审核人、备注等表尾，不作为数据读取" in run.message
