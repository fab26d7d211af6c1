"""Error reports and table exports, read back with calamine and through open_sheet."""

import datetime as dt
import re
import zipfile
from decimal import Decimal

import pytest
import python_calamine

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
    ]
    frame = pl.DataFrame(rows, schema=header, orient="row")
    by_rows, by_frames = tmp_path / "rows.csv", tmp_path / "frames.csv"
    assert write_table(by_rows, header, rows) == 3
    assert write_frames(by_frames, header, [frame.head(1), frame.tail(2)]) == 3
    assert by_frames.read_bytes() == by_rows.read_bytes()
    xlsx = tmp_path / "frames.xlsx"
    assert write_frames(xlsx, header, [frame]) == 3 and xlsx.stat().st_size > 0
