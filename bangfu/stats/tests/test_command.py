"""`bangfu stats` (EXCHANGE §8): a row per child area and 合计, .csv and .xlsx, the day asked, the audit
event, and the exit statuses of usage errors."""

import csv

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from bangfu.audit.models import Action, AuditEvent
from bangfu.stats import figures
from bangfu.stats.export import register_columns
from bangfu.stats.tests.world import ON, T1, build, expectations

HEADER = ["区划代码", "区划名称", *(f.name for f in figures.FIGURES)]


@pytest.mark.django_db
def test_csv_of_a_county_on_a_past_day(areas, tmp_path):
    build(ON)
    out = tmp_path / "花垣.csv"
    call_command("stats", "--area", "433124", "--date", ON.isoformat(), "--out", str(out))
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == HEADER
    townships = figures.children_of(areas["county_a"])
    assert [r[0] for r in rows[1:-1]] == [t.code for t in townships]
    by_code = {r[0]: r for r in rows[1:]}
    expected = expectations(ON)[T1]
    # A rate of 0.0 is written as 0, as the spreadsheet writer writes whole numbers.
    assert by_code[T1.ljust(12, "0")][2:] == [f"{expected[f.key]:g}" for f in figures.FIGURES]
    assert rows[-1][:2] == ["433124000000", "合计"] and rows[-1][2] == "12"
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.area_code == "433124000000" and "统计表" in event.message


@pytest.mark.django_db
def test_xlsx_and_columns_added_by_another_app(areas, tmp_path):
    build(ON)

    def targets(area, on, children, total):
        return [("劳动力人数目标", {total.area.code: 20})]

    register_columns(targets)
    try:
        out = tmp_path / "凤凰.xlsx"
        call_command("stats", "--area", "433123000000", "--date", ON.isoformat(), "--out", str(out))
    finally:
        from bangfu.stats import export

        export._providers.remove(targets)
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert sheet[0] == [*HEADER, "劳动力人数目标"]
    assert sheet[-1][1] == "合计" and sheet[-1][3] == 1 and sheet[-1][-1] == 20
    assert sheet[1][-1] == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ["--area", "999999", "--out", "x.csv"],
        ["--area", "abc", "--out", "x.csv"],
        ["--area", "433124", "--date", "2026/06/15", "--out", "x.csv"],
        ["--area", "433124", "--date", "2999-01-01", "--out", "x.csv"],
        ["--area", "433124", "--out", "x.txt"],
        ["--area", "433124", "--out", "/nowhere/x.csv"],
    ],
)
def test_usage_errors_exit_2(areas, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError) as caught:
        call_command("stats", *args)
    assert caught.value.returncode == 2
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
