"""Error reports and table exports, read back with calamine and through open_sheet."""

import csv
import datetime as dt
import re
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.exchange.report import CellError, RowProblem, write_error_report, write_frames, write_table
from bangfu.exchange.spreadsheet import Column, as_text, open_sheet

ID = "433124199001011234"


def read_back(path, sheet=0):
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    return workbook.get_sheet_by_index(sheet).to_python(skip_empty_area=False)


def sheet_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_as_text_shows_cells_as_excel_does():
    assert as_text(None) == ""
    assert as_text(ID) == ID
    assert as_text(12) == "12"
    assert as_text(2.5) == "2.5"
    assert as_text(433124199001011234.0) == "433124199001011000"  # Excel's 15 digits, no exponent
    assert as_text(-0.0) == "0"
    assert as_text(0.1 + 0.2) == "0.3"
    assert as_text(dt.date(2024, 1, 2)) == "2024-01-02"
    assert as_text(dt.datetime(2024, 1, 2)) == "2024-01-02"
    assert as_text(dt.datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02 03:04:05"
    assert as_text(True) == "TRUE"


def test_error_report(tmp_path):
    header = ["姓名", "证件号码", "出生日期", "务工时间(月)"]
    problems = [
        RowProblem(
            12,
            ["李四", 433124199202021234.0, "", 13],
            [CellError("证件号码", 433124199202021234.0, "证件号码不能是数字格式")],
        ),
        RowProblem(
            5,
            ["张三", "0" + ID[1:], dt.date(1990, 1, 1), "x"],
            [CellError("务工时间(月)", "x", "应为0–12的整数")],
        ),
        RowProblem(
            12, ["李四", 433124199202021234.0, "", 13], [CellError("务工时间(月)", 13, "应为0–12的整数")]
        ),
        RowProblem(
            7,
            ["王五", "", "=1+1", "", "多出来的"],
            [CellError("证件号码", None, "必填"), CellError(None, None, "与第5行重复")],
        ),
    ]
    path = tmp_path / "错误报告.xlsx"
    assert write_error_report(path, header, problems) == 3

    rows = read_back(path)
    assert rows[0] == ["原行号", "姓名", "证件号码", "出生日期", "务工时间(月)", "", "错误原因"]
    assert [row[0] for row in rows[1:]] == [5, 7, 12]  # sorted, row 12 merged into one line
    five, seven, twelve = rows[1:]
    assert five[1:5] == ["张三", "0" + ID[1:], "1990-01-01", "x"]  # text, leading zero kept
    assert five[6] == "务工时间(月)「x」：应为0–12的整数"
    assert seven[3] == "=1+1"  # never a formula
    assert seven[5] == "多出来的"
    assert seven[6] == "证件号码（空）：必填；与第5行重复"
    assert twelve[2] == "433124199202021000"  # the number as Excel shows it, written as text
    assert twelve[4] == "13"
    assert (
        twelve[6]
        == "证件号码「433124199202021000」：证件号码不能是数字格式；务工时间(月)「13」：应为0–12的整数"
    )

    xml = sheet_xml(path)
    assert '<pane ySplit="1"' in xml and 'state="frozen"' in xml
    widths = {
        int(m[0]): float(m[2]) for m in re.findall(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', xml)
    }
    assert widths[3] >= 18  # 证件号码 fits 18 digits
    assert widths[7] > widths[2]  # 错误原因 is the widest
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert "<b/>" in styles
    assert "<f>" not in xml
    # Every original cell is a string cell: no digits are stored as numbers.
    id_cells = re.findall(r'<c r="C\d+"[^>]*>', xml)
    assert id_cells and all('t="inlineStr"' in cell or 't="s"' in cell for cell in id_cells)


def test_error_report_without_problems(tmp_path):
    path = tmp_path / "empty.xlsx"
    assert write_error_report(path, ["姓名"], []) == 0
    assert read_back(path) == [["原行号", "姓名", "错误原因"]]


def test_write_table_xlsx_keeps_text_as_text(tmp_path):
    path = tmp_path / "export.xlsx"
    header = ["证件号码", "户编号", "务工时间(月)", "人均纯收入", "出生日期", "是否低保", "备注", "大整数"]
    rows = [
        [ID, "0012", 10, 12000.5, dt.date(1990, 1, 1), "否", None, 433124199001011234],
        ["=1+1", "http://example.com", 0, Decimal("3.25"), dt.datetime(2024, 5, 6, 7, 8, 9), True, "", 12],
    ]
    assert write_table(path, header, iter(rows)) == 2
    back = read_back(path)
    assert back[0] == header
    assert back[1] == [ID, "0012", 10.0, 12000.5, dt.date(1990, 1, 1), "否", "", "433124199001011234"]
    assert back[2] == [
        "=1+1",
        "http://example.com",
        0.0,
        3.25,
        dt.datetime(2024, 5, 6, 7, 8, 9),
        True,
        "",
        12.0,
    ]
    xml = sheet_xml(path)
    assert "<f>" not in xml and "hyperlink" not in xml
    assert '<pane ySplit="1"' in xml


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_imports_back_unchanged(tmp_path, suffix):
    header = ["户编号", "姓名", "证件号码", "与户主关系", "联系电话", "务工时间(月)"]
    rows = [
        ["H0001", "阿不都·热合曼", ID, "户主", "013812345678", "10"],
        ["H0001", "吉𠮷", "43312419900101123X", "之女", "", "0"],
        ["H0002", '张, "三"', "043312419900101123", "户主", "0743-1234567", "12"],
    ]
    path = tmp_path / f"export.{suffix}"
    assert write_table(path, header, rows) == 3
    columns = [Column(name, required=True) for name in header]
    sheet = open_sheet(path, columns)
    assert sheet.header_row == 1
    back = [[row.cells[name] or "" for name in header] for row in sheet.rows()]
    assert back == rows


def test_write_table_csv_has_bom_for_excel(tmp_path):
    path = tmp_path / "export.csv"
    write_table(
        path, ["姓名", "证件号码", "出生日期", "人均纯收入"], [["张三", ID, dt.date(1990, 1, 1), 1.5e4]]
    )
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == f"姓名,证件号码,出生日期,人均纯收入\r\n张三,{ID},1990-01-01,15000\r\n"


def test_write_table_format_override_and_refusal(tmp_path):
    path = tmp_path / "out.data"
    write_table(path, ["a"], [["1"]], file_format="csv")
    assert path.read_bytes().decode("utf-8-sig") == "a\r\n1\r\n"
    with pytest.raises(ValueError, match="不支持导出为 pdf"):
        write_table(tmp_path / "out.pdf", ["a"], [])


def test_write_frames_csv_is_byte_for_byte_what_write_table_writes(tmp_path):
    import polars as pl

    header = ["证件号码", "岗位编号", "排名", "得分", "理由"]
    rows = [
        ("430000199001010011", "J-1", 1, 85.0, "岗位职业与就业意向一致（焊工）；包吃住"),
        ("43000019900101001X", 'A,"B"', 2, 72.5, ""),
        ("430000199001010038", "J\n3", 10, 0.1, "月薪最高5000元，达到期望4000元"),
        ("=HYPERLINK(1)", "-J4", -3, -1.0, "@理由"),  # guarded against formulas both ways, numbers not
        ("'43", "'", 4, 1.0, "\t=1"),
    ]
    frame = pl.DataFrame(rows, schema=header, orient="row")
    by_rows, by_frames = tmp_path / "rows.csv", tmp_path / "frames.csv"
    assert write_table(by_rows, header, rows) == 5
    assert write_frames(by_frames, header, [frame.head(1), frame.tail(4)]) == 5
    assert by_frames.read_bytes() == by_rows.read_bytes()
    assert "'=HYPERLINK(1),'-J4,-3,-1,'@理由" in by_frames.read_text(encoding="utf-8-sig")
    xlsx = tmp_path / "frames.xlsx"
    assert write_frames(xlsx, header, [frame]) == 5 and xlsx.stat().st_size > 0


# --------------------------------------------------------------------------------------------------
# CSV exports are formula-safe, and the import undoes it


DANGEROUS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "'=1", "'"]


def csv_cells(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_export_puts_an_apostrophe_ahead_of_anything_excel_would_run(tmp_path):
    path = tmp_path / "export.csv"
    write_table(path, ["值", "数"], [[text, -5] for text in DANGEROUS] + [["正常", Decimal("-1.5")]])
    cells = csv_cells(path)[1:]
    assert [row[0] for row in cells] == ["'" + text for text in DANGEROUS] + ["正常"]
    # Numbers are numbers, not formulas: written as they are.
    assert [row[1] for row in cells] == ["-5"] * len(DANGEROUS) + ["-1.5"]
    assert not any(row[0] and row[0][0] in "=+-@\t\r" for row in cells)


def test_negative_numbers_and_phones_round_trip_exactly(tmp_path):
    header = ["户编号", "姓名", "联系电话", "备注"]
    rows = [
        ["H1", "张三", "+8613812345678", "-5"],
        ["H2", "李四", "-", '=HYPERLINK("http://example.com","点击")'],
        ["H3", "'王五", "'+86", "''"],
        ["H4", "@赵六", "0743-1234567", "-10%"],
    ]
    path = tmp_path / "export.csv"
    write_table(path, header, rows)
    sheet = open_sheet(path, [Column(name, required=True) for name in header])
    assert [[row.cells[name] for name in header] for row in sheet.rows()] == rows


csv_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda text: text == text.strip() and "\x00" not in text)
formulaic = st.builds(lambda start, rest: (start + rest).strip() or start, st.sampled_from("=+-@'"), csv_text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.one_of(csv_text, formulaic), min_size=3, max_size=3), min_size=1, max_size=8))
def test_any_text_round_trips_through_a_csv_export_both_ways_of_reading(rows):
    """Row by row (small files) and column-wise (polars, from 256 KiB): the same values come back, and no
    cell of the file starts with a formula character."""
    from bangfu.exchange.frames import read_csv_frame

    header = ["户编号", "姓名", "备注"]
    columns = [Column(name, required=True) for name in header]
    filler = [["H", "填充", "x" * 40]] * 5_000  # pushes the file past FAST_CSV_BYTES
    with tempfile.TemporaryDirectory() as directory:
        small, large = Path(directory) / "small.csv", Path(directory) / "large.csv"
        write_table(small, header, rows)
        write_table(large, header, rows + filler)
        assert not any(cell and cell[0] in "=+-@\t\r" for row in csv_cells(small) for cell in row)
        back = [[row.cells[name] for name in header] for row in open_sheet(small, columns).rows()]
        assert back == rows
        sheet = open_sheet(large, columns)
        _raw, cells = read_csv_frame(sheet, header)
        assert [list(row) for row in cells.select(header).head(len(rows)).iter_rows()] == rows


def _sheet_xml(path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_write_frames_xlsx_is_byte_for_byte_what_write_table_writes(tmp_path):
    """Frames of text and integers become row XML made by polars (a million-row ledger in seconds, not
    minutes); the sheet must be exactly what xlsxwriter writes cell by cell, whatever the text: escapes,
    spaces kept at either end, empty and missing cells, control characters and text like xlsxwriter's own
    escape (those frames are written cell by cell), several frames."""
    import polars as pl

    header = ["姓名", "证件号码", "备注", "月工资(元)", "务工时间(月)"]
    plain = [
        ("龙春生", "433124197503040110", "A&B <c> \"d\" 'e'", 3500, 12),
        ("石秀英", "43312419770809022X", " 前后有空格 ", None, 0),
        ("", None, "第一行\n第二行\t制表", -5, None),
        ("吴建国", "433124199001020418", "=SUM(A1)", 99_999_999_999_999, 3),
    ]
    unusual = [("麻老三", "433124196205060311", "控制\x01字符", 1, 1), ("田", "x", "_x0041_", 2, 2)]
    schema = {
        "姓名": pl.String,
        "证件号码": pl.String,
        "备注": pl.String,
        "月工资(元)": pl.Int64,
        "务工时间(月)": pl.Int64,
    }
    frames = [
        pl.DataFrame(plain[:1], schema=schema, orient="row"),
        pl.DataFrame(plain[1:], schema=schema, orient="row"),
        pl.DataFrame(unusual, schema=schema, orient="row"),
        pl.DataFrame(plain, schema=schema, orient="row"),
    ]
    rows = [*plain, *unusual, *plain]
    by_rows, by_frames = tmp_path / "rows.xlsx", tmp_path / "frames.xlsx"
    assert write_table(by_rows, header, rows) == 10
    assert write_frames(by_frames, header, frames) == 10
    assert _sheet_xml(by_frames) == _sheet_xml(by_rows)
    assert b'<c r="A2" t="inlineStr"><is><t>' in _sheet_xml(by_frames)
    empty = tmp_path / "empty.xlsx"
    assert write_frames(empty, header, []) == 0
    assert _sheet_xml(empty) == (
        write_table(tmp_path / "e.xlsx", header, []) or _sheet_xml(tmp_path / "e.xlsx")
    )
