"""Read limits: hostile files are refused with a Chinese reason before any reader allocates for them;
ordinary files, and unusual but honest ones, are read as before."""

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from bangfu.exchange import limits
from bangfu.exchange.limits import ReadLimits
from bangfu.exchange.spreadsheet import Column, SpreadsheetError, open_sheet
from bangfu.exchange.tests import hostile

COLUMNS = [Column("户编号", required=True), Column("姓名"), Column("证件号码"), Column("与户主关系")]


def refusal(path: Path, limits: ReadLimits | None = None) -> str:
    with pytest.raises(SpreadsheetError) as info:
        open_sheet(path, COLUMNS, limits=limits)
    return info.value.message


def test_a_cell_at_xfd1048576_is_refused_in_a_process_that_may_use_1_gb(tmp_path):
    """The issue's 1.6 KB file: calamine alone asks for 512 GB and the process aborts (exit 134). Read in
    a process limited to 1 GB of address space, it is refused with the Chinese reason, exit 0."""
    path = hostile.far_cell_xlsx(tmp_path / "名单.xlsx")
    assert path.stat().st_size < 2000
    script = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from bangfu.exchange.spreadsheet import Column, SpreadsheetError, open_sheet
        try:
            open_sheet({str(path)!r}, [Column("户编号", required=True)])
        except SpreadsheetError as error:
            print(error.message)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "RUST_BACKTRACE": "0"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "内容范围是 A1:XFD1048576" in done.stdout and "XFD1048576 等多余的行和列" in done.stdout


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda p: hostile.far_cell_xlsx(p), "内容范围是 A1:XFD1048576，共 16,384 列"),
        (lambda p: hostile.far_cell_xlsx(p, dimension=None), "内容范围是 A1:XFD1048576"),
        (lambda p: hostile.far_cell_xlsx(p, dimension="A1:E1"), "内容范围是 A1:XFD1048576"),  # a lie
        (lambda p: hostile.zip_bomb_xlsx(p), "超过了可接受的压缩比（100 倍）"),
        (lambda p: hostile.lying_sizes_xlsx(p), "解压后比它声明的大小（2 KB）还大"),
        (lambda p: hostile.far_column_xls(p.with_suffix(".xls")), "共 65,536 列"),
    ],
    ids=["far-cell", "far-cell-no-dimension", "far-cell-lying-dimension", "zip-bomb", "lying-sizes", "xls"],
)
def test_hostile_workbooks_are_refused_before_calamine_opens_them(
    tmp_path, calamine_forbidden, build, expected
):
    message = refusal(build(tmp_path / "名单.xlsx"))
    assert expected in message, message


def test_a_workbook_named_csv_is_refused_the_same(tmp_path, calamine_forbidden):
    path = hostile.far_cell_xlsx(tmp_path / "名单.xlsx").rename(tmp_path / "名单.csv")
    assert "内容范围是 A1:XFD1048576" in refusal(path)


def test_a_binary_workbook_is_not_read(tmp_path, calamine_forbidden):
    """.xlsb sheets are binary records this module does not read: calamine is not given them either."""
    path = hostile.xlsx(tmp_path / "名单.xlsx", "")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
        archive.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00")
    assert "二进制工作簿（.xlsb）" in refusal(path)


def test_cells_placed_by_counting_are_counted_as_calamine_counts_them(tmp_path, calamine_forbidden):
    """No r attributes: a million empty rows, then 16,384 cells one after the other. The compression
    ratio alone refuses it; with that limit lifted, the element-by-element reading finds the extent."""
    path = hostile.rows_without_numbers_xlsx(tmp_path / "名单.xlsx")
    assert "压缩比" in refusal(path)
    lifted = ReadLimits(compression_ratio=100_000)
    assert "内容范围是 A1:XFD1048576" in refusal(path, lifted)


def test_prefixed_cell_tags_are_not_overlooked(tmp_path, calamine_forbidden):
    xml = (
        f'{hostile.SHEET_START}<dimension ref="A1:E1"/><sheetData><row r="1">{hostile.HEADER}</row>'
        '<x:row r="900000"><x:c r="ZZ900000"><x:v>1</x:v></x:c></x:row></sheetData></worksheet>'
    )
    message = refusal(hostile.xlsx(tmp_path / "名单.xlsx", xml))
    assert "内容范围是 A1:ZZ900000" in message and "个单元格" in message


def test_csv_rows_columns_and_cells_are_bounded(tmp_path):
    assert "第1行有 20,004 列" in refusal(hostile.wide_row_csv(tmp_path / "宽.csv"))
    assert "第2行起有一个单元格超过 32,767 个字符" in refusal(
        hostile.unclosed_quote_csv(tmp_path / "引号.csv")
    )
    path = tmp_path / "行.csv"
    path.write_text("户编号,姓名\n" + "".join(f"H{i},张三\n" for i in range(50)), encoding="utf-8")
    assert "文件超过 10 行" in refusal(path, ReadLimits(rows=10))  # met while looking for the header
    sheet = open_sheet(path, COLUMNS, limits=ReadLimits(rows=40))
    with pytest.raises(SpreadsheetError, match="文件超过 40 行"):
        list(sheet.rows())


def test_large_csv_read_column_wise_is_bounded_too(tmp_path):
    from bangfu.exchange.frames import can_read_fast, read_csv_frame

    path = tmp_path / "大.csv"
    path.write_text("户编号,姓名\n" + "".join(f"H{i:06d},张三\n" for i in range(40_000)), encoding="utf-8")
    sheet = open_sheet(path, COLUMNS, limits=ReadLimits(rows=30_000))
    assert can_read_fast(sheet)
    with pytest.raises(SpreadsheetError, match="文件超过 30,000 行"):
        read_csv_frame(sheet, ["户编号", "姓名"])
    long_cell = tmp_path / "长.csv"
    long_cell.write_text(
        "户编号,姓名\n" + "".join(f"H{i:06d},张三\n" for i in range(40_000)) + "H1," + "长" * 40_000 + "\n",
        encoding="utf-8",
    )
    sheet = open_sheet(long_cell, COLUMNS)
    with pytest.raises(SpreadsheetError, match="超过 32,767 个字符"):
        read_csv_frame(sheet, ["户编号", "姓名"])


def test_the_inflated_size_is_bounded_before_anything_is_inflated(tmp_path, calamine_forbidden):
    """The issue's 20 MB sheet that inflates to 1.5 GB is refused by the default limit (1,024 MB) from the
    sizes the zip declares; here the same at a smaller scale, honest sizes and an ordinary ratio."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>H{r * 7919 % 100003:06d}</t></is></c></row>'
        for r in range(2, 40_000)
    )
    path = hostile.xlsx(
        tmp_path / "名单.xlsx", f"{hostile.SHEET_START}<sheetData>{rows}</sheetData></worksheet>"
    )
    assert path.stat().st_size < 1 << 20
    message = refusal(path, ReadLimits(inflated_mb=2))
    assert "文件解压后有 2.9 MB，超过了可读取的上限（2.0 MB）" in message, message
    assert ReadLimits().inflated_mb == 1024


def test_file_size_is_bounded(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("户编号,姓名\n" + "H1,张三\n" * 200_000, encoding="utf-8")
    message = refusal(path, ReadLimits(csv_mb=1))
    assert "文件有 1.9 MB，超过了可读取的上限（1.0 MB）" in message


def test_the_limits_come_from_settings(tmp_path, settings):
    path = tmp_path / "名单.csv"
    path.write_text("户编号,姓名,证件号码\nH1,张三,1\n", encoding="utf-8")
    settings.BANGFU_READ_LIMITS = {"columns": 2}
    assert limits.current().columns == 2
    assert "第1行有 3 列，超过了可读取的上限（2 列）" in refusal(path)
    settings.BANGFU_READ_LIMITS = {}
    assert limits.current() == ReadLimits()


# --------------------------------------------------------------------------------------------------
# Honest files are read as before


def test_a_usual_workbook_with_merges_and_a_true_dimension_is_read(tmp_path):
    path = tmp_path / "名单.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["户编号", "姓名", "证件号码", "与户主关系"])
    for row in range(1, 2001):
        sheet.write_row(row, 0, [f"H{row // 3}", f"人{row}", f"{row:018d}", "户主"])
    sheet.merge_range(1, 0, 3, 0, "H0")
    workbook.close()
    opened = open_sheet(path, COLUMNS, limits=ReadLimits(cells=8_004, columns=4))
    assert sum(1 for _ in opened.rows()) == 2000


def test_a_workbook_without_cell_references_is_read_exactly(tmp_path):
    """Some tools write no r attributes: such a file goes the element-by-element way, and is read."""
    cells = "".join(f"<c t='inlineStr'><is><t>{name}</t></is></c>" for name in ("户编号", "姓名"))
    rows = "".join(
        f"<row><c t='inlineStr'><is><t>H{i}</t></is></c><c><v>{i}</v></c></row>" for i in range(50)
    )
    path = hostile.xlsx(
        tmp_path / "名单.xlsx",
        f"{hostile.SHEET_START}<sheetData><row>{cells}</row>{rows}</sheetData></worksheet>",
    )
    sheet = open_sheet(path, COLUMNS, limits=ReadLimits(cells=102, columns=2))
    assert [row.cells["户编号"] for row in sheet.rows()][-1] == "H49"
    assert "内容范围是 A1:B51" in refusal(path, ReadLimits(cells=101))


def test_a_stale_dimension_larger_than_the_data_is_not_held_against_it(tmp_path):
    xml = (
        f'{hostile.SHEET_START}<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{hostile.HEADER}</row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>H1</t></is></c></row></sheetData></worksheet>'
    )
    sheet = open_sheet(hostile.xlsx(tmp_path / "名单.xlsx", xml), COLUMNS)
    assert [row.cells["户编号"] for row in sheet.rows()] == ["H1"]
