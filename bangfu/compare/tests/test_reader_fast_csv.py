"""Large CSV files are read column-wise (polars); the result must be the rows, values and messages the
row-by-row reader gives for the same file."""

import datetime as dt

import pytest

from bangfu.compare import reader
from bangfu.compare.rowsfile import read_rows
from bangfu.compare.sources import TYPES
from bangfu.compare.tests.conftest import LONG, MA, SHI, WU, write_source
from bangfu.exchange import frames

TODAY = dt.date(2025, 6, 30)

FILES = {
    "death": [
        {
            "姓名": "龙春生",
            "证件号码": LONG,
            "性别": "男",
            "出生日期": "1975-03-04",
            "死亡日期": "2025-03-01",
        },
        {
            "姓名": "龙春生",
            "证件号码": LONG,
            "性别": "男",
            "出生日期": "1975-03-04",
            "死亡日期": "2025-03-01",
        },
        {
            "姓名": "石秀英",
            "证件号码": f" {SHI} ",
            "性别": "女性",
            "死亡日期": "2025/3/1",
            "联系电话": "138-1111-2222",
        },
        {"姓名": "吴建国", "证件号码": "", "出生日期": "1990-01-02", "死亡日期": "2026-01-01"},
        {"姓名": "", "证件号码": MA, "死亡日期": "2025-13-01"},
        {},
        {
            "姓名": "麻老三",
            "证件号码": "4.33124E+17",
            "死亡日期": "2025-01-01",
            "户籍地区划代码": "433124102",
        },
    ],
    "employment": [
        {
            "姓名": "龙春生",
            "证件号码": LONG,
            "单位名称": "甲公司",
            "统一社会信用代码": "91440105MA5XXXXX0Q",
            "工作地区划代码": "440105",
            "入职日期": "2025-01-05",
            "离职日期": "",
            "月工资": "5200",
        },
        {
            "姓名": "石秀英",
            "证件号码": SHI,
            "单位名称": "乙公司",
            "统一社会信用代码": "bad",
            "入职日期": "2025-01-05",
        },
        {
            "姓名": "吴建国",
            "证件号码": WU,
            "单位名称": "丙公司",
            "入职日期": "2025-02-01",
            "离职日期": "2025-01-01",
        },
        {"姓名": "麻老三", "证件号码": MA, "单位名称": "丁公司", "入职日期": "20250201", "月工资": "4,500"},
    ],
    "social-insurance": [
        {
            "姓名": "龙春生",
            "证件号码": LONG,
            "险种": "城乡居民养老保险",
            "参保状态": "参保缴费",
            "参保地区划代码": "433124102201",
            "最近缴费年月": "2025-05",
        },
        {
            "姓名": "石秀英",
            "证件号码": SHI,
            "险种": "失业保险",
            "参保状态": "参保缴费",
            "参保单位": "某厂",
            "最近缴费年月": "202504",
        },
        {"姓名": "吴建国", "证件号码": WU, "险种": "医疗保险", "参保状态": "参保"},
    ],
    "civil-affairs": [
        {"姓名": "龙春生", "证件号码": LONG, "救助类型": "低保", "开始日期": "2025-01-01"},
        {
            "姓名": "石秀英",
            "证件号码": SHI,
            "救助类型": "特困",
            "开始日期": "2025-01-01",
            "终止日期": "2024-01-01",
        },
    ],
    "disability": [
        {"姓名": "龙春生", "证件号码": LONG, "残疾类别": "肢体残疾", "残疾等级": "三级"},
        {"姓名": "石秀英", "证件号码": SHI, "残疾类别": "肢体", "残疾等级": "3级"},
    ],
    "medical-insurance": [
        {"姓名": "龙春生", "证件号码": LONG, "参保年度": "2025", "参保状态": "参保"},
        {"姓名": "石秀英", "证件号码": SHI, "参保年度": "2025.0", "参保状态": "未参保"},
        {"姓名": "吴建国", "证件号码": WU, "参保年度": "1980", "参保状态": "参保"},
    ],
}


def _read(path, code, monkeypatch, fast: bool):
    """What the reader keeps: (rows read, the rows kept with their cells as the rows file gives them,
    the rows rejected)."""
    monkeypatch.setattr(frames, "FAST_CSV_BYTES", 0 if fast else 1 << 40)
    rows_file = path.with_name(f"rows-{fast}.parquet")
    result = reader.read_source(path, TYPES[code], today=TODAY, rows_file=rows_file)
    rows = sorted(result.table().to_pylist(), key=lambda r: r["row_no"])
    cells = read_rows(rows_file, [row["row_no"] for row in rows])
    for row in rows:
        extra = {k: row.pop(k) for k in list(row) if k.startswith("x_")}
        row["extra"] = {k: v for k, v in extra.items() if v not in (None, "")}
        row["cells"] = cells[row["row_no"]]
    problems = sorted((p.row_number, p.reasons(), [str(c) for c in p.raw_cells]) for p in result.problems)
    return result.total_rows, rows, problems


@pytest.mark.parametrize("code", sorted(FILES))
@pytest.mark.parametrize("encoding", ["gb18030", "utf-8", "utf-8-sig"])
def test_fast_csv_reader_agrees_with_row_by_row(code, encoding, tmp_path, monkeypatch):
    path = write_source(tmp_path / "data.csv", FILES[code], encoding=encoding)
    slow = _read(path, code, monkeypatch, fast=False)
    fast = _read(path, code, monkeypatch, fast=True)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    assert fast[2] == slow[2]
    assert slow[1] and slow[2]  # each file has both kept and rejected rows


def test_a_part_in_another_encoding_is_a_whole_file_error(tmp_path, monkeypatch):
    from bangfu.exchange.spreadsheet import SpreadsheetError

    head = "姓名,证件号码,死亡日期\n" + f"龙春生,{LONG},2025-01-01\n" * 40000  # beyond the sniffed first MiB
    path = tmp_path / "死亡.csv"
    path.write_bytes(head.encode("utf-8") + f"石秀英,{SHI},2025-01-01\n".encode("gbk"))
    monkeypatch.setattr(frames, "FAST_CSV_BYTES", 0)
    with pytest.raises(SpreadsheetError, match="第40002行附近的内容不是 UTF-8 编码"):
        reader.read_source(path, TYPES["death"], today=TODAY)


def test_compact_months_take_the_fast_path(tmp_path, monkeypatch):
    """202504, as social-insurance systems write it, is read column-wise like 2025-04 (a file of them once
    sent every row through the row-by-row checks); odd months still get the row-by-row message."""
    rows = [
        {
            "姓名": "龙春生",
            "证件号码": LONG,
            "险种": "城乡居民养老保险",
            "参保状态": "参保缴费",
            "最近缴费年月": m,
        }
        for m in ("202504", "2025-04", "202513", "180004")
    ]
    path = write_source(tmp_path / "社保.csv", rows, encoding="utf-8")
    slow_rows = []
    original = reader.clean_source_row
    monkeypatch.setattr(
        reader, "clean_source_row", lambda t, n, *a: slow_rows.append(n) or original(t, n, *a)
    )
    monkeypatch.setattr(frames, "FAST_CSV_BYTES", 0)
    result = reader.read_source(path, TYPES["social-insurance"], today=TODAY)
    assert sorted(slow_rows) == [5, 6]  # the header is row 2 (a title row above it)
    months = {r["row_no"]: r["x_最近缴费年月"] for r in result.table().to_pylist()}
    assert months == {3: "2025-04", 4: "2025-04"}
    assert {p.row_number for p in result.problems} == {5, 6}
    assert all("不是有效的年月" in p.reasons() for p in result.problems)
