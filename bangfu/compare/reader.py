"""Read one source file into columnar batches for the linkage: every row checked, rejected rows kept with
their reasons for the error report, a whole-file problem raised as SpreadsheetError; the rows as uploaded
written to the run's rows file (rowsfile.py). Plain Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from bangfu.compare.rowsfile import RowsWriter, write_frame
from bangfu.compare.sources import SourceType, all_columns, clean_source_row, wrong_type_message
from bangfu.exchange.frames import can_read_fast, raw_cells, read_csv_frame
from bangfu.exchange.report import CellError, RowProblem
from bangfu.exchange.spreadsheet import SpreadsheetError, as_text, open_sheet

BATCH_ROWS = 100_000

# Text as large_string, as polars hands it over: a province's file is not copied once more to convert.
COMMON_FIELDS = [
    ("row_no", pa.int64()),
    ("id_number", pa.large_string()),
    ("name", pa.large_string()),
    ("sex", pa.large_string()),
    ("birth_date", pa.date32()),
    ("phone", pa.large_string()),
    ("area_code", pa.large_string()),
]
EXTRA_PREFIX = "x_"  # a column of the row's `extra` (地址 and the type's own values): x_<name>


def schema(source_type: SourceType) -> pa.Schema:
    """The batches' columns: who the row names, then its extra values (SourceType.extra_values), typed
    (until 2026-12-04 they were one JSON column, which judging parsed again)."""
    kinds = {"BIGINT": pa.int64(), "VARCHAR": pa.large_string()}
    extra = [(EXTRA_PREFIX + name, kinds[kind]) for name, kind in source_type.extra_values]
    return pa.schema(COMMON_FIELDS + extra)


@dataclass
class SourceFile:
    header: list[str]
    columns: list[str]  # canonical names of the columns found
    schema: pa.Schema  # of the batches: schema(source_type)
    batches: list[pa.RecordBatch] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total_rows: int = 0
    # Rows that repeat an earlier row cell for cell: {row number: the earlier row's}. Reported, not
    # compared again: results.csv gives them the earlier row's link.
    duplicates: dict[int, int] = field(default_factory=dict)

    @property
    def valid_rows(self) -> int:
        return sum(batch.num_rows for batch in self.batches)

    def table(self) -> pa.Table:
        return pa.Table.from_batches(self.batches, schema=self.schema)


class _Builder:
    """Rows checked one by one: their batches, and their cells for the rows file (`rows`, if kept)."""

    def __init__(self, schema: pa.Schema, rows: RowsWriter | None = None):
        self.schema, self.extra = schema, [n[len(EXTRA_PREFIX) :] for n in schema.names[len(COMMON_FIELDS) :]]
        self.columns = {name: [] for name in schema.names}
        self.rows, self.cells = rows, []

    def add(self, row, cells: dict) -> None:
        c = self.columns
        c["row_no"].append(row.row_no)
        c["id_number"].append(row.id_raw or None)
        c["name"].append(row.name)
        c["sex"].append(row.sex)
        c["birth_date"].append(row.birth_date)
        c["phone"].append(row.phone or None)
        c["area_code"].append(row.area_code)
        for name in self.extra:  # dates as ISO text, as the rules compare them
            value = row.extra.get(name)
            c[EXTRA_PREFIX + name].append(value.isoformat() if isinstance(value, dt.date) else value)
        if self.rows is not None:
            self.cells.append(cells)

    def __len__(self):
        return len(self.columns["row_no"])

    def flush(self) -> pa.RecordBatch:
        batch = pa.RecordBatch.from_pydict(self.columns, schema=self.schema)
        if self.rows is not None:
            self.rows.write(self.columns["row_no"], self.cells)
        self.columns, self.cells = {name: [] for name in self.schema.names}, []
        return batch


def read_source(
    path: str | Path,
    source_type: SourceType,
    *,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    rows_file: Path | None = None,
) -> SourceFile:
    """Every row of the file checked against `source_type`; the rows as uploaded written to `rows_file`
    (rowsfile.py), if given: the rows kept (and, from a large CSV, every non-blank row). Raises
    SpreadsheetError (Chinese message) when the file cannot be used as a whole: unreadable, a file of
    another type, a required column missing, no data rows."""
    today = today or dt.date.today()
    sheet = open_sheet(path, all_columns())
    found = set(sheet.columns)
    if message := wrong_type_message(source_type, found):
        raise SpreadsheetError(message, missing=[n for n in source_type.required if n not in found])
    own = {c.name for c in source_type.columns}
    others = [name for name in sheet.columns if name not in own]
    result = SourceFile(
        header=sheet.header, columns=[n for n in sheet.columns if n in own], schema=schema(source_type)
    )
    result.warnings = list(sheet.warnings)
    if others:
        result.warnings.append(f"以下列不属于「{source_type.name}」数据，已忽略：{'、'.join(others)}。")
    names = result.columns
    if can_read_fast(sheet):
        read_csv_fast(sheet, source_type, today, result, rows_file)
        if result.total_rows == 0:
            raise SpreadsheetError("文件中表头以下没有数据行。")
        return _with_footer_note(result, sheet)
    rows = RowsWriter(rows_file, names) if rows_file else None
    try:
        _read_rows(sheet, source_type, today, result, _Builder(result.schema, rows), progress)
    finally:
        if rows is not None:
            rows.close()
    if result.total_rows == 0:
        raise SpreadsheetError("文件中表头以下没有数据行。")
    return _with_footer_note(result, sheet)


def _with_footer_note(result: SourceFile, sheet) -> SourceFile:
    """The reader's notes made while reading the rows (the footer under the data it left out)."""
    result.warnings += [w for w in sheet.warnings if w not in result.warnings]
    return result


def _read_rows(sheet, source_type: SourceType, today: dt.date, result: SourceFile, builder, progress) -> None:
    """The row-by-row reader: every row through `clean_source_row`."""
    names = result.columns
    seen: dict[int, int] = {}  # hash of a row's cells -> its first row number
    for row in sheet.rows():
        result.total_rows += 1
        cells = {name: row.cells.get(name) for name in names}
        shown = {name: as_text(value).strip() for name, value in cells.items() if value not in (None, "")}
        key = hash(tuple(shown.items()))
        first = seen.setdefault(key, row.number)
        if first != row.number:
            result.duplicates[row.number] = first
            result.problems.append(
                RowProblem(row.number, row.raw, [CellError(None, "", f"与第{first}行完全相同（重复行）")])
            )
            continue
        cleaned, errors = clean_source_row(source_type, row.number, cells, today)
        if errors:
            result.problems.append(RowProblem(row.number, row.raw, errors))
            continue
        builder.add(cleaned, shown)
        if len(builder) >= BATCH_ROWS:
            result.batches.append(builder.flush())
            if progress:
                progress(result.total_rows)
    if len(builder):
        result.batches.append(builder.flush())


# --------------------------------------------------------------------------------------------------
# Large CSV files: read and checked column-wise by polars. Rows the vectorised checks cannot vouch for
# (an unusual date or phone form, a bad value, …) go through `clean_source_row` like any other row, so
# both paths accept the same rows and give the same messages.

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_MOBILE = r"^1[3-9]\d{9}$"
_AREA_CODE = r"^\d{6}(\d{3}(\d{3})?)?$"
_CREDIT_CODE = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
_COMPACT_MONTH = r"^\d{4}(0[1-9]|1[0-2])$"
TEXT_EXTRAS = ("地址", "参保单位", "统一社会信用代码", "单位名称")


def _fast_checks(code: str, today: dt.date):
    """Per source type: (typed extra columns, a condition true only for rows certainly valid)."""
    import polars as pl

    from bangfu.compare import sources as s

    col, lit = pl.col, pl.lit

    def empty(name):
        return col(name).is_null()

    def one_of(name, values):
        return col(name).is_in(list(values))

    def iso_date(name):
        return (
            col(name).str.contains(_ISO_DATE) & col(name).str.to_date("%Y-%m-%d", strict=False).is_not_null()
        )

    def date_value(name):
        return col(name).str.to_date("%Y-%m-%d", strict=False)

    def past(name):
        return (
            iso_date(name) & (date_value(name) <= lit(today)) & (date_value(name) >= lit(dt.date(1900, 1, 1)))
        )

    def area(name):
        return empty(name) | col(name).str.contains(_AREA_CODE)

    def text(name):
        return col(name).fill_null("")

    if code == s.SOCIAL:
        ok = one_of("险种", s.INSURANCE_KINDS) & one_of("参保状态", s.INSURANCE_STATUSES)
        # 2025-05, or 202505 as social-insurance systems write it; both become 2025-05.
        month = col("最近缴费年月")
        compact = month.str.contains(_COMPACT_MONTH)
        in_years = month.str.slice(0, 4).cast(pl.Int64, strict=False).is_between(1900, 2100)
        ok &= area("参保地区划代码") & (
            empty("最近缴费年月") | ((month.str.contains(_MONTH) | compact) & in_years)
        )
        ok &= empty("终止参保日期") | (
            iso_date("终止参保日期") & (date_value("终止参保日期") >= lit(dt.date(1900, 1, 1)))
        )
        month = pl.when(compact).then(month.str.slice(0, 4) + "-" + month.str.slice(4, 2)).otherwise(month)
        extra = [col("险种"), col("参保状态"), text("参保单位"), col("参保地区划代码")]
        extra += [month.alias("最近缴费年月"), col("终止参保日期")]
    elif code == s.EMPLOYMENT:
        ok = col("单位名称").is_not_null() & (
            empty("统一社会信用代码") | col("统一社会信用代码").str.contains(_CREDIT_CODE)
        )
        ok &= area("工作地区划代码") & past("入职日期")
        ok &= empty("离职日期") | (iso_date("离职日期") & (date_value("离职日期") >= date_value("入职日期")))
        wage = col("月工资").str.contains(r"^\d{1,7}$") & (
            col("月工资").cast(pl.Int64, strict=False) <= 1_000_000
        )
        ok &= empty("月工资") | wage
        extra = [text("单位名称"), text("统一社会信用代码"), col("工作地区划代码"), col("入职日期")]
        extra += [col("离职日期"), col("月工资").cast(pl.Int64, strict=False)]
    elif code == s.DEATH:
        ok = past("死亡日期") & (empty("出生日期") | (date_value("死亡日期") >= date_value("出生日期")))
        extra = [col("死亡日期")]
    elif code == s.CIVIL:
        ok = one_of("救助类型", s.ASSISTANCE_TYPES) & (empty("开始日期") | iso_date("开始日期"))
        ok &= empty("终止日期") | iso_date("终止日期")
        ok &= empty("开始日期") | empty("终止日期") | (date_value("终止日期") >= date_value("开始日期"))
        extra = [col("救助类型"), col("开始日期"), col("终止日期")]
    elif code == s.DISABILITY:
        ok = one_of("残疾类别", s.DISABILITY_CATEGORIES) & one_of("残疾等级", s.DISABILITY_GRADES)
        extra = [col("残疾类别"), col("残疾等级")]
    elif code == s.SETTLEMENT:
        # Rows with every amount in plain yuan-and-fen pass here; the rest are checked one by one.
        money = r"^\d{1,9}(\.\d{1,2})?$"
        ok = past("结算日期") & col("总费用").str.contains(money) & col("个人负担").str.contains(money)
        for name in s.SETTLEMENT_AMOUNTS[1:4]:
            ok &= empty(name) | col(name).str.contains(money)
        parts = sum(
            col(name).cast(pl.Float64, strict=False).fill_null(0) for name in s.SETTLEMENT_AMOUNTS[1:]
        )
        ok &= parts <= col("总费用").cast(pl.Float64, strict=False) + 0.001
        ok &= (empty("医疗类别") | one_of("医疗类别", s.CARE_KINDS)) & (
            empty("医院等级") | one_of("医院等级", s.HOSPITAL_LEVELS)
        )
        extra = [
            col("结算日期"),
            *(col(name) for name in s.SETTLEMENT_AMOUNTS),
            col("医疗类别"),
            col("医院等级"),
        ]
    else:
        year = col("参保年度").cast(pl.Int64, strict=False)
        ok = col("参保年度").str.contains(r"^\d{4}$") & year.is_between(1990, today.year + 1)
        ok &= one_of("参保状态", s.MEDICAL_STATUSES)
        extra = [year.alias("参保年度"), col("参保状态")]
    return extra, ok


def read_csv_fast(
    sheet, source_type: SourceType, today: dt.date, result: SourceFile, rows_file: Path | None = None
) -> None:
    import polars as pl

    names = result.columns
    raw, data = read_csv_frame(sheet, [c.name for c in source_type.columns])
    result.total_rows = data.height
    if rows_file:  # every non-blank row as read, in row order (polars writes it on all cores)
        write_frame(data.select("row_no", *names), rows_file)
    own = list(names)
    # Exact duplicates: rows with the same cells (by a 64-bit hash of them) after the first.
    key = pl.struct(own).hash(seed=7) if own else pl.col("row_no")
    data = data.with_columns(pl.col("row_no").min().over(key).alias("first_row"))
    extra, ok = _fast_checks(source_type.code, today)
    common_ok = (
        pl.col("姓名").is_not_null()
        & (pl.col("性别").is_null() | pl.col("性别").is_in(["男", "女"]))
        & (pl.col("出生日期").is_null() | pl.col("出生日期").str.contains(_ISO_DATE))
        & (pl.col("联系电话").is_null() | pl.col("联系电话").str.contains(_MOBILE))
        & (pl.col("户籍地区划代码").is_null() | pl.col("户籍地区划代码").str.contains(_AREA_CODE))
    )
    birth = pl.col("出生日期").str.to_date("%Y-%m-%d", strict=False)
    common_ok &= pl.col("出生日期").is_null() | (
        birth.is_not_null() & (birth <= pl.lit(today)) & (birth >= pl.lit(dt.date(1900, 1, 1)))
    )
    data = data.with_columns(
        (pl.col("first_row") != pl.col("row_no")).alias("duplicate"),
        (common_ok & ok).fill_null(False).alias("ok"),
    )
    # Memory: a province's file is gigabytes as text. Of the rows as read, keep only those that may be
    # reported (duplicates, rows the vectorised checks do not vouch for); build the accepted rows' table
    # a slice at a time, without a filtered copy of every column first.
    maybe_reported = data.filter(pl.col("duplicate") | ~pl.col("ok"))["row_no"]
    raw = raw.filter(pl.col("row_no").is_in(maybe_reported.implode()))
    for number, first_row in data.filter(pl.col("duplicate")).select("row_no", "first_row").iter_rows():
        result.duplicates[number] = first_row
        result.problems.append(
            RowProblem(number, [], [CellError(None, "", f"与第{first_row}行完全相同（重复行）")])
        )
    if data.height > maybe_reported.len():
        area_hint = pl.col("户籍地区划代码")
        if source_type.code == "social-insurance":  # residents enrol where they live
            resident = pl.when(pl.col("险种") == "城乡居民养老保险").then(pl.col("参保地区划代码"))
            area_hint = pl.coalesce(area_hint, resident)
        accepted = [
            pl.col("row_no"),
            pl.col("证件号码").alias("id_number"),
            pl.col("姓名").alias("name"),
            pl.col("性别").alias("sex"),
            birth.alias("birth_date"),
            pl.col("联系电话").alias("phone"),
            area_hint.alias("area_code"),
            *(e.name.prefix(EXTRA_PREFIX) for e in [pl.col("地址").fill_null(""), *extra]),
        ]
        # A slice at a time: built whole, the JSON and Arrow copies of a 5-million-row file took 5 GB.
        # (The rows as uploaded are in the rows file already.)
        for start in range(0, data.height, BATCH_ROWS):
            piece = data.slice(start, BATCH_ROWS).lazy().filter(~pl.col("duplicate") & pl.col("ok"))
            table = piece.select(accepted).collect().to_arrow().cast(result.schema)
            result.batches.extend(table.to_batches())
    # The rest row by row, with the same checks and messages as any other row.
    builder = _Builder(result.schema)
    slow = data.filter(~pl.col("duplicate") & ~pl.col("ok")).select("row_no", *names)
    del data
    for row in slow.iter_rows(named=True):
        number = row.pop("row_no")
        shown = {k: v for k, v in row.items() if v is not None}
        cleaned, errors = clean_source_row(source_type, number, row, today)
        if errors:
            result.problems.append(RowProblem(number, [], errors))
        else:
            builder.add(cleaned, shown)
    if len(builder):
        result.batches.append(builder.flush())
    if result.problems:  # the report shows rejected rows as uploaded: all their columns
        found = raw_cells(raw, {p.row_number for p in result.problems})
        for problem in result.problems:
            problem.raw_cells = found.get(problem.row_number, [])
