"""Reading real .xlsx/.xls/.csv files: types, header finding under title rows, encodings and refusals."""

import csv
import datetime as dt
import random
import tempfile
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bangfu.exchange import spreadsheet
from bangfu.exchange.spreadsheet import Column, SpreadsheetError, fold, open_sheet

ID = "433124199001011234"
COLUMNS = [
    Column("户编号", required=True),
    Column("姓名", required=True),
    Column("证件号码", required=True, aliases=("身份证号码", "身份证号")),
    Column("与户主关系", required=True),
    Column("出生日期"),
    Column("务工状态"),
    Column("务工时间(月)"),
    Column("联系电话"),
    Column("县(市、区)"),
]


def rows_of(sheet):
    return list(sheet.rows())


# --------------------------------------------------------------------------------------------------
# fold


@pytest.mark.parametrize(
    "text",
    [
        "务工时间(月)",
        " 务工时间（月） ",
        "务工\n时间\r\n（月）",
        "务 工 时 间 ( 月 )",
        "务工时间\u3000（月）",
        "*务工时间(月)",
    ],
)
def test_fold_equates_spacing_width_and_parentheses(text):
    assert fold(text) == "务工时间(月)"


def test_fold_keeps_different_names_apart():
    assert fold("姓名") != fold("户主姓名")
    assert fold("县(市、区)") == fold("县（市、区）")
    assert fold("ＩＤ") == fold("id")


@given(st.text())
def test_fold_is_idempotent(text):
    once = fold(text)
    assert fold(once) == once


# --------------------------------------------------------------------------------------------------
# .xlsx


def write_staff_xlsx(path: Path) -> None:
    """A county-style file: merged title, 填报单位 row, two-row merged header, blank rows, typed cells."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("脱贫劳动力")
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(0, 0, 0, 7, "花垣县2024年脱贫劳动力名单")
    sheet.write_string(1, 0, "填报单位：花垣县人社局")
    # Row 3 is blank; the header is rows 4-5.
    for column, name in enumerate(["户编号", "姓 名", "证件号码", "与户主\n关系", "出生日期"]):
        sheet.merge_range(3, column, 4, column, name)
    sheet.merge_range(3, 5, 3, 6, "务工情况")
    sheet.write_string(4, 5, "务工状态")
    sheet.write_string(4, 6, "务工时间（月）")
    sheet.merge_range(3, 7, 4, 7, "备注")
    # Data: row 6, blank row 7, row 8, whitespace-only row 9, row 10.
    sheet.write_row(5, 0, ["H001", " 张三 ", ID, "户主"])
    sheet.write_datetime(5, 4, dt.date(1990, 1, 1), date)
    sheet.write_row(5, 5, ["省外务工", 10, "说明"])
    sheet.write_row(7, 0, ["H001", "李四"])
    sheet.write_number(7, 2, 433124199202021234)  # an ID typed as a number
    sheet.write_row(7, 3, ["配偶", "", "", 2.5])
    sheet.write_row(8, 0, ["  ", "", " "])
    sheet.write_row(9, 0, ["H002", "王五", "0" + ID[1:], "户主"])
    workbook.close()


def test_xlsx_staff_file_with_titles_and_two_row_header(tmp_path):
    path = tmp_path / "名单.xlsx"
    write_staff_xlsx(path)
    sheet = open_sheet(path, COLUMNS)
    assert sheet.format == "xlsx"
    assert sheet.sheet_name == "脱贫劳动力"
    assert (sheet.header_row, sheet.header_height, sheet.first_data_row) == (4, 2, 6)
    assert sheet.header == [
        "户编号",
        "姓 名",
        "证件号码",
        "与户主\n关系",
        "出生日期",
        "务工状态",
        "务工时间（月）",
        "备注",
    ]
    assert sheet.columns == {
        "户编号": 0,
        "姓名": 1,
        "证件号码": 2,
        "与户主关系": 3,
        "出生日期": 4,
        "务工状态": 5,
        "务工时间(月)": 6,
    }
    assert sheet.unknown_columns == ["备注"]
    assert "备注" in sheet.warnings[0]

    rows = rows_of(sheet)
    assert [row.number for row in rows] == [6, 8, 10]
    first, second, third = rows
    assert first.cells["姓名"] == "张三"
    assert first.cells["证件号码"] == ID
    assert first.cells["出生日期"] == dt.date(1990, 1, 1)
    assert first.cells["务工时间(月)"] == 10
    assert type(first.cells["务工时间(月)"]) is int
    assert "备注" not in first.cells
    assert first.raw[7] == "说明"
    assert first.raw[1] == " 张三 "  # raw keeps the cell as typed

    assert isinstance(second.cells["证件号码"], float)  # the ID parser must be able to refuse it
    assert second.cells["出生日期"] is None
    assert second.cells["务工状态"] is None
    assert second.cells["务工时间(月)"] == 2.5
    assert third.cells["证件号码"] == "0" + ID[1:]  # leading zero kept


def test_xlsx_single_row_header_and_offset_table(tmp_path):
    """A table that starts at C5, under a title in C2: columns and row numbers stay true."""
    path = tmp_path / "offset.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_string(1, 2, "名单")
    sheet.write_row(4, 2, ["姓名", "证件号码", "户编号", "与户主关系", "其他信息"])
    sheet.write_row(5, 2, ["张三", ID, "H1", "户主", "x"])
    sheet.write_row(7, 2, ["李四", ID, "H1", "之子"])
    workbook.close()
    opened = open_sheet(path, COLUMNS)
    assert opened.header_row == 5
    assert opened.header_height == 1
    assert opened.columns == {"姓名": 2, "证件号码": 3, "户编号": 4, "与户主关系": 5}
    assert opened.header[2:7] == ["姓名", "证件号码", "户编号", "与户主关系", "其他信息"]
    rows = rows_of(opened)
    assert [(row.number, row.cells["姓名"], row.cells["与户主关系"]) for row in rows] == [
        (6, "张三", "户主"),
        (8, "李四", "之子"),
    ]
    assert rows[0].raw[2:7] == ["张三", ID, "H1", "户主", "x"]


def test_xlsx_vertically_merged_data_cells_fill_down(tmp_path):
    path = tmp_path / "merged.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["户编号", "姓名", "证件号码", "与户主关系"])
    sheet.merge_range(1, 0, 3, 0, "H001")
    for row, (name, relation) in enumerate([("张三", "户主"), ("李四", "配偶"), ("张小", "之子")], start=1):
        sheet.write_row(row, 1, [name, ID, relation])
    sheet.write_row(4, 0, ["H002", "王五", ID, "户主"])
    workbook.close()
    rows = rows_of(open_sheet(path, COLUMNS))
    assert [row.cells["户编号"] for row in rows] == ["H001", "H001", "H001", "H002"]
    assert [row.raw[0] for row in rows] == ["H001", "H001", "H001", "H002"]


def test_xlsx_sheet_choice(tmp_path):
    path = tmp_path / "sheets.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    hidden = workbook.add_worksheet("下拉选项")
    hidden.write_string(0, 0, "户主")
    hidden.hide()
    first = workbook.add_worksheet("填写说明")
    first.write_row(0, 0, ["姓名", "证件号码", "户编号", "与户主关系"])
    first.write_row(1, 0, ["说明", "18位", "", ""])
    data = workbook.add_worksheet("人员 名单")
    data.write_row(0, 0, ["姓名", "证件号码", "户编号", "与户主关系"])
    data.write_row(1, 0, ["张三", ID, "H1", "户主"])
    first.activate()
    workbook.close()

    default = open_sheet(path, COLUMNS)
    assert default.sheet_name == "填写说明"  # the first visible sheet
    named = open_sheet(path, COLUMNS, sheet="人员名单")  # names match after folding too
    assert named.sheet_name == "人员 名单"
    assert rows_of(named)[0].cells["姓名"] == "张三"
    with pytest.raises(SpreadsheetError) as caught:
        open_sheet(path, COLUMNS, sheet="Sheet9")
    assert "Sheet9" in caught.value.message
    assert "人员 名单" in caught.value.message


def test_missing_required_columns_names_them_and_what_was_seen(tmp_path):
    path = tmp_path / "missing.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "花垣县2024年脱贫劳动力名单")
    sheet.write_row(1, 0, ["户编号", "姓名", "身份证", "性别"])
    sheet.write_row(2, 0, ["H1", "张三", ID, "男"])
    workbook.close()
    with pytest.raises(SpreadsheetError) as caught:
        open_sheet(path, COLUMNS)
    error = caught.value
    assert error.missing == ("证件号码", "与户主关系")
    assert error.seen == ("户编号", "姓名", "身份证", "性别")
    assert "缺少必填列：证件号码、与户主关系" in error.message
    assert "身份证" in error.message
    assert "第2行" in error.message


def test_no_header_at_all(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("商品,价格\n苹果,3\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError) as caught:
        open_sheet(path, COLUMNS)
    assert "找不到表头" in caught.value.message
    assert "商品、价格" in caught.value.message


def test_duplicate_columns_are_refused(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("户编号,姓名,证件号码,与户主关系,身份证号\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError) as caught:
        open_sheet(path, COLUMNS)
    assert "重复" in caught.value.message
    assert "C列、E列" in caught.value.message


def test_aliases_map_to_the_canonical_name(tmp_path):
    path = tmp_path / "alias.csv"
    path.write_text("户编号,姓名,身份证号码,与户主关系\nH1,张三,433124199001011234,户主\n", encoding="utf-8")
    sheet = open_sheet(path, COLUMNS)
    assert sheet.columns["证件号码"] == 2
    assert rows_of(sheet)[0].cells["证件号码"] == ID


# --------------------------------------------------------------------------------------------------
# .xls


def test_xls_written_by_xlwt(tmp_path):
    import xlwt

    path = tmp_path / "legacy.xls"
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("名单")
    sheet.write_merge(0, 0, 0, 6, "花垣县2024年脱贫劳动力名单")
    for column, name in enumerate(["户编号", "姓名", "证件号码", "与户主关系", "出生日期"]):
        sheet.write_merge(2, 3, column, column, name)
    sheet.write_merge(2, 2, 5, 6, "务工情况")
    sheet.write(3, 5, "务工状态")
    sheet.write(3, 6, "务工时间(月)")
    date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    sheet.write(4, 0, "H001")
    sheet.write(4, 1, "张三")
    sheet.write(4, 2, ID)
    sheet.write(4, 3, "户主")
    sheet.write(4, 4, dt.date(1990, 1, 1), date)
    sheet.write(4, 5, "县内务工")
    sheet.write(4, 6, 12)
    sheet.write(6, 0, "H001")
    sheet.write(6, 1, "李四")
    sheet.write(6, 2, 433124199202021234)
    sheet.write(6, 3, "配偶")
    workbook.save(str(path))

    opened = open_sheet(path, COLUMNS)
    assert opened.format == "xls"
    assert opened.first_data_row == 5
    assert set(opened.columns) == {
        "户编号",
        "姓名",
        "证件号码",
        "与户主关系",
        "出生日期",
        "务工状态",
        "务工时间(月)",
    }
    first, second = rows_of(opened)
    assert (first.number, second.number) == (5, 7)
    assert first.cells["证件号码"] == ID
    assert first.cells["出生日期"] == dt.date(1990, 1, 1)
    assert first.cells["务工时间(月)"] == 12
    assert isinstance(second.cells["证件号码"], float)


def test_xls_content_with_xlsx_name_is_read_by_content(tmp_path):
    path = tmp_path / "renamed.xls"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet().write_row(0, 0, ["户编号", "姓名", "证件号码", "与户主关系"])
    workbook.close()
    assert open_sheet(path, COLUMNS).format == "xlsx"


# --------------------------------------------------------------------------------------------------
# .csv

CSV_TEXT = (
    "花垣县2024年脱贫劳动力名单,,,,\n"
    "填报单位：花垣县人社局,,,,\n"
    ",,,,\n"
    "户编号,姓名,证件号码,与户主关系,联系电话\n"
    "H001,张三,433124199001011234,户主,013812345678\n"
    ",,,,\n"
    "H001, 吉𠮷 ,043312419900101123,配偶,\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    text = CSV_TEXT if encoding in ("utf-8", "utf-8-sig", "gb18030") else CSV_TEXT.replace("𠮷", "祥")
    if encoding == "gbk":
        with pytest.raises(UnicodeEncodeError):
            CSV_TEXT.encode("gbk")  # 𠮷 exists only in GB18030
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(text.encode(encoding))
    sheet = open_sheet(path, COLUMNS)
    assert sheet.format == "csv"
    assert sheet.header_row == 4
    assert sheet.delimiter == ","
    rows = rows_of(sheet)
    assert [row.number for row in rows] == [5, 7]
    assert rows[0].cells == {
        "户编号": "H001",
        "姓名": "张三",
        "证件号码": ID,
        "与户主关系": "户主",
        "联系电话": "013812345678",
    }
    assert rows[1].cells["姓名"] == ("吉𠮷" if text is CSV_TEXT else "吉祥")
    assert rows[1].cells["证件号码"] == "043312419900101123"
    assert rows[1].cells["联系电话"] is None
    assert rows[1].raw[1] == (" 吉𠮷 " if text is CSV_TEXT else " 吉祥 ")


def test_excel_unicode_text_export(tmp_path):
    """Excel's 「Unicode 文本」 is UTF-16 with a BOM, tab-separated."""
    path = tmp_path / "unicode.csv"
    path.write_bytes(
        "户编号\t姓名\t证件号码\t与户主关系\r\nH1\t吉𠮷\t433124199001011234\t户主\r\n".encode("utf-16")
    )
    sheet = open_sheet(path, COLUMNS)
    assert (sheet.encoding, sheet.delimiter) == ("utf-16", "\t")
    assert rows_of(sheet)[0].cells["姓名"] == "吉𠮷"


@pytest.mark.parametrize("delimiter", ["\t", ";", ","])
def test_csv_delimiters_with_title_rows(tmp_path, delimiter):
    path = tmp_path / "d.csv"
    lines = [
        "花垣县2024年脱贫劳动力名单",
        "",
        delimiter.join(["户编号", "姓名", "证件号码", "与户主关系", "地址"]),
    ]
    lines.append(delimiter.join(["H1", "张三", ID, "户主", "湖南省，花垣县"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sheet = open_sheet(path, COLUMNS)
    assert sheet.delimiter == delimiter
    assert rows_of(sheet)[0].cells["证件号码"] == ID


def test_csv_two_row_header_forward_fills_group_cells(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(
        "户编号,姓名,证件号码,与户主关系,务工情况,,联系电话\n"
        ",,,,务工状态,务工时间（月）,\n"
        "H1,张三,433124199001011234,户主,省外务工,10,13812345678\n",
        encoding="utf-8",
    )
    sheet = open_sheet(path, COLUMNS)
    assert (sheet.header_row, sheet.header_height) == (1, 2)
    assert sheet.columns == {
        "户编号": 0,
        "姓名": 1,
        "证件号码": 2,
        "与户主关系": 3,
        "务工状态": 4,
        "务工时间(月)": 5,
        "联系电话": 6,
    }
    row = rows_of(sheet)[0]
    assert row.number == 3
    assert row.cells["务工时间(月)"] == "10"  # CSV cells are always text


def test_group_cell_is_part_of_the_column_name(tmp_path):
    """「是否」merged over 低保/特困/易地搬迁 means 是否低保, 是否特困, 是否易地搬迁."""
    flags = [Column("是否低保"), Column("是否特困"), Column("是否易地搬迁"), Column("姓名", required=True)]
    csv_path = tmp_path / "flags.csv"
    csv_path.write_text("姓名,是否,,,其他\n,低保,特困,易地搬迁,\n张三,是,否,否,x\n", encoding="utf-8")
    xlsx_path = tmp_path / "flags.xlsx"
    workbook = xlsxwriter.Workbook(str(xlsx_path))
    sheet = workbook.add_worksheet()
    sheet.merge_range(0, 0, 1, 0, "姓名")
    sheet.merge_range(0, 1, 0, 3, "是否")
    sheet.write_row(1, 1, ["低保", "特困", "易地搬迁"])
    sheet.write_row(2, 0, ["张三", "是", "否", "否", "x"])
    workbook.close()
    for path in (csv_path, xlsx_path):
        opened = open_sheet(path, flags)
        assert opened.columns == {"姓名": 0, "是否低保": 1, "是否特困": 2, "是否易地搬迁": 3}
        (row,) = rows_of(opened)
        assert (row.number, row.cells["是否低保"], row.cells["是否特困"]) == (3, "是", "否")
    assert open_sheet(xlsx_path, flags).unknown_columns == []  # column E has no header at all


def test_csv_multiline_cell_counts_as_one_row(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text(
        '户编号,姓名,证件号码,与户主关系\nH1,"张\n三",433124199001011234,户主\nH2,李四,433124199001011234,户主\n',
        encoding="utf-8",
    )
    rows = rows_of(open_sheet(path, COLUMNS))
    assert [row.number for row in rows] == [2, 3]
    assert rows[0].cells["姓名"] == "张\n三"


def test_csv_short_rows_and_rows_with_only_unknown_cells(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("户编号,姓名,证件号码,与户主关系,备注\nH1,张三\n,,,,只有备注\n", encoding="utf-8")
    rows = rows_of(open_sheet(path, COLUMNS))
    assert rows[0].cells == {"户编号": "H1", "姓名": "张三", "证件号码": None, "与户主关系": None}
    assert rows[1].number == 3
    assert rows[1].raw[4] == "只有备注"


def test_csv_rows_can_be_read_twice(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("户编号,姓名,证件号码,与户主关系\nH1,张三,1,户主\n", encoding="utf-8")
    sheet = open_sheet(path, COLUMNS)
    assert rows_of(sheet) == rows_of(sheet)


def test_csv_encoding_change_after_the_sample_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheet, "CSV_SAMPLE_BYTES", 64)
    path = tmp_path / "mixed.csv"
    head = "户编号,姓名,证件号码,与户主关系\n" + "H1,张三,1,户主\n" * 3000
    path.write_bytes(head.encode("utf-8") + "H2,李四,2,户主\n".encode("gbk"))
    sheet = open_sheet(path, COLUMNS)
    assert sheet.encoding == "utf-8"
    rows = sheet.rows()
    assert next(rows).number == 2
    with pytest.raises(SpreadsheetError) as caught:
        list(rows)
    assert "编码" in caught.value.message
    assert "第3002行" in caught.value.message


def test_xlsx_content_named_csv_is_read_as_xlsx(tmp_path):
    path = tmp_path / "really.csv"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet().write_row(0, 0, ["户编号", "姓名", "证件号码", "与户主关系"])
    workbook.close()
    assert open_sheet(path, COLUMNS).format == "xlsx"


# --------------------------------------------------------------------------------------------------
# Refusals


def refusal(path: Path) -> str:
    with pytest.raises(SpreadsheetError) as caught:
        open_sheet(path, COLUMNS)
    return caught.value.message


def test_unsupported_extension(tmp_path):
    path = tmp_path / "名单.docx"
    path.write_bytes(b"PK\x03\x04")
    assert "不支持的文件类型 .docx" in refusal(path)


def test_word_document_renamed_xlsx(tmp_path):
    path = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Word 文档" in refusal(path)


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.xls", "empty.csv"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert "文件是空的" in refusal(path)


def test_blank_csv(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n\n  \n", encoding="utf-8")
    assert "空的" in refusal(path)


def test_empty_xlsx_sheet(tmp_path):
    path = tmp_path / "nothing.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Sheet1")
    workbook.close()
    assert "工作表「Sheet1」是空的" in refusal(path)


def test_garbage_and_truncated_files(tmp_path):
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(random.Random(1).randbytes(2000))
    assert "不是有效的 Excel" in refusal(garbage)
    truncated = tmp_path / "truncated.xlsx"
    write_staff_xlsx(tmp_path / "full.xlsx")
    truncated.write_bytes((tmp_path / "full.xlsx").read_bytes()[:500])
    assert "不是有效的 Excel" in refusal(truncated)
    binary = tmp_path / "picture.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "不是文本" in refusal(binary)


def test_html_and_text_disguised_as_xls(tmp_path):
    html = tmp_path / "export.xls"
    html.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>", encoding="utf-8")
    assert "网页" in refusal(html)
    text = tmp_path / "export2.xls"
    text.write_text("姓名\t证件号码\n张三\t1\n", encoding="gbk")
    assert ".csv" in refusal(text)


def test_missing_file(tmp_path):
    assert "找不到文件" in refusal(tmp_path / "nope.csv")


# --------------------------------------------------------------------------------------------------
# Header finding, property-based

NAMES = [column.name for column in COLUMNS]
REQUIRED = [column.name for column in COLUMNS if column.required]
FOLDED_NAMES = {fold(text) for column in COLUMNS for text in (column.name, *column.aliases)}
WIDE = {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)}
SPACES = [" ", "\u3000", "\n", "\r\n", "\t", "  "]


@st.composite
def noisy(draw, name: str) -> str:
    """The name as a person might type it: full-width characters, spaces and line breaks anywhere."""
    out = []
    for ch in name:
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(SPACES)))
        out.append(WIDE.get(ch, ch) if draw(st.booleans()) else ch)
    return draw(st.sampled_from(["", " ", "\u3000"])) + "".join(out) + draw(st.sampled_from(["", " "]))


title_cell = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=20).filter(
    lambda text: fold(text) not in FOLDED_NAMES and not any(fold(text).endswith(fold(n)) for n in NAMES)
)


@st.composite
def staff_file(draw):
    optional = [name for name in NAMES if name not in REQUIRED]
    chosen = REQUIRED + draw(st.lists(st.sampled_from(optional), unique=True))
    extras = draw(st.lists(st.sampled_from(["备注", "序号", "填表人", "其他"]), unique=True, max_size=2))
    header = chosen + extras
    order = draw(st.permutations(range(len(header))))
    header = [header[i] for i in order]
    titles = draw(
        st.lists(st.lists(title_cell, max_size=len(header)), max_size=6)
    )  # empty lists are blank rows
    typed = [draw(noisy(name)) for name in header]
    return titles, header, typed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(staff_file(), st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]))
def test_header_is_found_below_random_title_rows(data, encoding):
    titles, header, typed = data
    rows = [*titles, typed, ["值"] * len(header), [], ["值2"] * len(header)]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "file.csv"
        with open(path, "w", encoding=encoding, newline="") as handle:
            csv.writer(handle).writerows(rows)
        sheet = open_sheet(path, COLUMNS)
        data_rows = rows_of(sheet)
    header_record = len(titles) + 1
    assert sheet.header_row == header_record
    assert sheet.header_height == 1
    assert sheet.columns == {name: header.index(name) for name in header if name in NAMES}
    assert sorted(map(fold, sheet.unknown_columns)) == sorted(name for name in header if name not in NAMES)
    assert [row.number for row in data_rows] == [header_record + 1, header_record + 3]


@pytest.mark.parametrize(
    "header",
    [
        ["户编号", "姓名", "证件号码", "备注", "序号", "\t与户主\n关系"],  # a tab in a quoted cell
        # bare tabs over several lines: a count of cells per record took the tab for the delimiter
        ["户编号", "姓\t名", "证件号码", "与户主关系", "出\n生日期", "务工状\t态", "联系电\t话"],
    ],
)
def test_tabs_typed_inside_header_cells_do_not_make_the_tab_the_delimiter(tmp_path, header):
    """Found by the test above: the Sniffer took the tab of a header cell for the delimiter, and the header
    was not found; the comma, under which the file has the columns it must have, is taken instead."""
    path = tmp_path / "file.csv"
    rows = [[""], header, ["值"] * len(header), [], ["值2"] * len(header)]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    sheet = open_sheet(path, COLUMNS)
    assert sheet.delimiter == ","
    assert sheet.header_row == 2 and sheet.columns["与户主关系"] == header.index(
        next(cell for cell in header if fold(cell) == "与户主关系")
    )
    assert [row.number for row in rows_of(sheet)] == [3, 5]


def test_a_file_without_its_columns_keeps_the_first_error(tmp_path):
    """Trying the other delimiters does not change what a file lacking columns is told."""
    path = tmp_path / "file.csv"
    path.write_text("户编号;姓名;备注\nH1;张三;无\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="缺少必填列：证件号码、与户主关系"):
        open_sheet(path, COLUMNS)


@settings(max_examples=150, deadline=None)
@given(staff_file(), st.integers(0, 3))
def test_header_finder_on_grids_with_blank_columns(data, offset):
    """Directly on a grid: blank leading columns and a trailing blank row do not move the header."""
    titles, header, typed = data
    grid = [[""] * offset + row for row in [*titles, typed]] + [[]]
    found = spreadsheet._find_header(grid, COLUMNS, None)
    assert found.row == len(titles)
    assert found.columns == {name: header.index(name) + offset for name in header if name in NAMES}


@given(st.sampled_from(NAMES).flatmap(lambda name: st.tuples(st.just(name), noisy(name))))
def test_noise_folds_away(pair):
    name, typed = pair
    assume(typed.strip())
    assert fold(typed) == fold(name)


# --------------------------------------------------------------------------------------------------
# Encodings the platform does not read, and files without data rows


TRADITIONAL = (
    "戶編號,姓名,證件號碼,與戶主關係\nH1,張三豐,433124199001011234,戶主\nH2,陳麗華,433124199001011234,之女\n"
)


def test_a_big5_file_is_told_its_encoding_is_not_supported(tmp_path):
    """GB18030 decodes Big5 bytes too, into a garbled header: the file is told what it is instead."""
    path = tmp_path / "名单.csv"
    path.write_bytes(TRADITIONAL.encode("big5"))
    message = refusal(path)
    assert "编码不受支持：看起来是繁体中文 Big5 编码" in message and "UTF-8" in message


def test_gbk_with_rarer_characters_is_still_read(tmp_path):
    """Names with characters outside GB2312 (喆, 堃, 𠮷) are common: a few do not make a file foreign."""
    path = tmp_path / "名单.csv"
    rows = "".join(
        f"H{i},{name},{ID},户主\n" for i, name in enumerate(["王喆", "李堃", "吉𠮷", "张三", "龙春生"])
    )
    path.write_bytes(("户编号,姓名,证件号码,与户主关系\n" + rows).encode("gb18030"))
    assert [row.cells["姓名"] for row in rows_of(open_sheet(path, COLUMNS))][:3] == ["王喆", "李堃", "吉𠮷"]


@pytest.mark.parametrize("blank_rows", [0, 3])
def test_a_header_alone_says_the_file_has_no_rows(tmp_path, blank_rows):
    csv_path = tmp_path / "名单.csv"
    csv_path.write_text("户编号,姓名,证件号码,与户主关系\n" + ",,,\n" * blank_rows, encoding="utf-8")
    xlsx_path = tmp_path / "名单.xlsx"
    workbook = xlsxwriter.Workbook(str(xlsx_path))
    workbook.add_worksheet().write_row(0, 0, ["户编号", "姓名", "证件号码", "与户主关系"])
    workbook.close()
    for path in (csv_path, xlsx_path):
        sheet = open_sheet(path, COLUMNS)
        with pytest.raises(SpreadsheetError, match="文件中表头以下没有数据行"):
            list(sheet.rows())


def test_a_large_csv_of_blank_rows_has_no_rows_either(tmp_path):
    from bangfu.exchange.frames import can_read_fast, read_csv_frame

    path = tmp_path / "名单.csv"
    path.write_text("户编号,姓名,证件号码,与户主关系\n" + " , , , \n" * 40_000, encoding="utf-8")
    sheet = open_sheet(path, COLUMNS)
    assert can_read_fast(sheet)
    with pytest.raises(SpreadsheetError, match="文件中表头以下没有数据行"):
        read_csv_frame(sheet, ["户编号", "姓名"])


# --------------------------------------------------------------------------------------------------
# A county office's footer under the data


FOOTER = [
    ["填表人：龙春生", "", "", "审核人：石秀英", "", "联系电话：0743-7123456"],
    ["填表日期：2025年3月1日"],
    ["单位（盖章）："],
    ["备注：本表一式两份，村、镇各存一份。"],
]
DATA = [
    ["H1", "龙春生", ID, "户主"],
    ["H1", "石秀英", "433124199202021225", "配偶"],
    ["H2", "吴建国", ID, "户主"],
]


def office_csv(path: Path, footer=FOOTER, *, encoding="gbk", filler=0) -> Path:
    """Title rows, the header, the data (blank rows between), two blank rows, the signature footer."""
    rows = [["花垣县龙潭镇2025年脱贫劳动力花名册"], ["填报单位：龙潭镇人民政府", "", "填报时间：2025年3月"]]
    rows += [["户编号", "姓名", "证件号码", "与户主关系"], *DATA, [], *[["H9", "填充", ID, "户主"]] * filler]
    rows += [[], [], *footer]
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_the_footer_under_the_data_is_not_data(tmp_path):
    sheet = open_sheet(office_csv(tmp_path / "名单.csv"), COLUMNS)
    rows = rows_of(sheet)
    assert sheet.header_row == 3 and [row.raw[:4] for row in rows] == DATA
    assert sheet.footer_rows == [10, 11, 12, 13]
    assert "表格末尾的第10–13行是填表人、审核人、备注等表尾，不作为数据读取。" in sheet.warnings


def test_the_footer_of_a_workbook_with_merged_cells(tmp_path):
    path = tmp_path / "名单.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("花名册")
    sheet.merge_range(0, 0, 0, 5, "花垣县龙潭镇2025年脱贫劳动力花名册")
    sheet.write_row(1, 0, ["户编号", "姓名", "证件号码", "与户主关系"])
    for number, row in enumerate(DATA, start=2):
        sheet.write_row(number, 0, row)
    sheet.merge_range(7, 0, 7, 2, "填表人：龙春生")  # two blank rows above
    sheet.write_string(7, 3, "审核人：石秀英")
    sheet.merge_range(8, 0, 8, 5, "填 表 日 期 ： 2025 年 3 月 1 日")
    workbook.close()
    opened = open_sheet(path, COLUMNS)
    assert [row.raw[:4] for row in rows_of(opened)] == DATA and opened.footer_rows == [8, 9]


def test_a_footer_like_row_between_data_rows_stays_data(tmp_path):
    """Only the last rows are the footer: a 备注 row with data under it is a row like any other."""
    path = tmp_path / "名单.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["户编号", "姓名", "证件号码", "与户主关系"], DATA[0], ["备注：迁入"], DATA[1]]
        )
    sheet = open_sheet(path, COLUMNS)
    assert [row.raw[0] for row in rows_of(sheet)] == ["H1", "备注：迁入", "H1"] and sheet.footer_rows == []


def test_too_many_footer_like_rows_are_data(tmp_path):
    footer = [[f"备注：第{i}条"] for i in range(11)]
    sheet = open_sheet(office_csv(tmp_path / "名单.csv", footer), COLUMNS)
    assert len(rows_of(sheet)) == len(DATA) + 11 and sheet.footer_rows == []


def test_a_large_csv_read_column_wise_drops_the_same_footer(tmp_path):
    from bangfu.exchange.frames import can_read_fast, read_csv_frame

    sheet = open_sheet(office_csv(tmp_path / "名单.csv", filler=8_000), COLUMNS)
    assert can_read_fast(sheet)
    _raw, cells = read_csv_frame(sheet, ["户编号", "姓名"])
    assert cells.height == len(DATA) + 8_000 and cells["户编号"][-1] == "H9"
    assert sheet.footer_rows == [8_010, 8_011, 8_012, 8_013]


def test_a_header_with_only_a_footer_has_no_rows(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("户编号,姓名,证件号码,与户主关系\n\n填表人：龙春生,,审核人：石秀英\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="文件中表头以下没有数据行"):
        rows_of(open_sheet(path, COLUMNS))
