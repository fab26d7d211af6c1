"""Registry rows checked column-wise: a whole file's cells as one polars frame, cleaned records as another.

`check_cells` accepts, with vectorised checks (Rust, both cores), only the rows whose every cell is in
its plain, usual form: a coded village of the importer's subtree, an 18-digit ID with a good check digit,
values exactly as the vocabulary spells them, ISO dates, 11-digit mobiles. Every other row — a 15-digit
ID, a village given by name, 1990/1/31, a full-width character, a bad value — goes through
`rows.clean_row`, the one row checker behind files, forms and the API. So both paths accept the same
rows with the same values and reject the rest with the same messages (a test holds them equal).

Accepted rows travel on as a frame with one column per `PersonRecord` field (`RECORD_SCHEMA`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple, fields

import polars as pl

from bangfu.core.idnumber import PROVINCE_CODES
from bangfu.exchange.report import CellError
from bangfu.registry.rows import (
    AREA_CODE,
    ENUMS,
    FLAGS,
    INCOME_MAX,
    NO_WISH,
    RANGES,
    TEXTS,
    AreaLookup,
    PersonRecord,
    clean_row,
)

_INTEGERS = {"work_months", "expected_wage", "poverty_exit_year", "row_number"}
_DATES = {"birth_date"}
_BOOLEANS = set(FLAGS.values())
INCOME = pl.Decimal(12, 2)


def _dtype(name: str):
    if name in _INTEGERS:
        return pl.Int64
    if name in _DATES:
        return pl.Date
    if name in _BOOLEANS:
        return pl.Boolean
    if name == "income_per_capita":
        return INCOME
    return pl.String


RECORD_FIELDS = tuple(f.name for f in fields(PersonRecord))
RECORD_SCHEMA = {name: _dtype(name) for name in RECORD_FIELDS}


def records_frame(records: list[PersonRecord]) -> pl.DataFrame:
    return pl.DataFrame([astuple(r) for r in records], schema=RECORD_SCHEMA, orient="row")


def frame_records(frame: pl.DataFrame) -> list[PersonRecord]:
    return [PersonRecord(*row) for row in frame.select(RECORD_FIELDS).iter_rows()]


# --------------------------------------------------------------------------------------------------
# The vectorised checks

_ID = r"^[0-9]{17}[0-9X]$"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# Names already in their clean form: CJK ideographs (not the compatibility blocks, which NFKC changes),
# Latin letters and the middle dot. Anything else — spaces, •, full-width letters — goes row by row.
_NAME = "^[\u3400-\u9fff\U00020000-\U0002f7ff\U00030000-\U0003134fA-Za-z\u00b7]+$"
_MOBILE = r"^1[3-9][0-9]{9}$"
# Characters Python's str.strip() removes and polars' strip_chars() keeps: such a cell goes row by row.
_ODD_SPACE = "[\x1c-\x1f]"


def _text(name: str) -> pl.Expr:
    return pl.col(name).fill_null("")


def _integer(column: str, digits: int, low: int, high: int) -> tuple[pl.Expr, pl.Expr]:
    value = pl.col(column).cast(pl.Int64, strict=False)
    ok = pl.col(column).is_null() | (
        pl.col(column).str.contains(rf"^[0-9]{{1,{digits}}}$") & value.is_between(low, high)
    )
    return ok, value


def plain_id(id_: pl.Expr, today: dt.date) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(ok, birth date, sex) of an ID column: ok for an 18-digit ID in its plain form with a known province,
    a birth date between 1900 and `today` and a good check character (what parse_id_number accepts
    unchanged); other IDs go row by row."""
    total = pl.sum_horizontal(
        id_.str.slice(i, 1).cast(pl.Int32, strict=False) * w for i, w in enumerate(_WEIGHTS)
    )
    check = pl.lit(list(_CHECK_CHARS)).list.get(total % 11)
    birth = id_.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    sex = (
        pl.when(id_.str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1)
        .then(pl.lit("男"))
        .otherwise(pl.lit("女"))
    )
    ok = (
        id_.str.contains(_ID)
        & id_.str.slice(0, 2).is_in(list(PROVINCE_CODES))
        & birth.is_between(dt.date(1900, 1, 1), today)
        & (id_.str.slice(17, 1) == check)
    )
    return ok, birth, sex


def plain_name(name: pl.Expr, limit: int = 50) -> pl.Expr:
    """A name already in its clean form (see _NAME), at most `limit` characters."""
    return name.str.contains(_NAME) & (name.str.len_chars() <= limit)


def check_cells(
    cells: pl.DataFrame, lookup: AreaLookup, today: dt.date
) -> tuple[pl.DataFrame, list[tuple[int, list[CellError]]]]:
    """(accepted, rejected): `cells` has `row_no` and one text column per §1 column (stripped, empty as
    null); `accepted` holds the valid rows as records (RECORD_SCHEMA) in file order, `rejected` each
    invalid row's number and reasons."""
    col = pl.col
    villages = [code for code, level in lookup.level.items() if level == 5]
    id_ = col("证件号码")
    id_ok, id_birth, id_sex = plain_id(id_, today)
    ok = (
        col(AREA_CODE).is_in(villages)
        & col("户编号").is_not_null()
        & (col("户编号").str.len_chars() <= 40)
        & plain_name(col("姓名"))
        & id_ok
        & (col("性别").is_null() | (col("性别") == id_sex))
        & (col("出生日期").is_null() | (col("出生日期") == id_birth.dt.to_string("%Y-%m-%d")))
        & col("与户主关系").is_not_null()
        & (col("联系电话").is_null() | col("联系电话").str.contains(_MOBILE))
    )
    for column, (allowed, _attr) in ENUMS.items():
        ok &= col(column).is_null() | col(column).is_in(list(allowed))
    for column in FLAGS:
        ok &= col(column).is_null() | col(column).is_in(["是", "否"])
    for column, (_attr, limit) in TEXTS.items():
        ok &= col(column).is_null() | (col(column).str.len_chars() <= limit)
    months_ok, months = _integer("务工时间(月)", 2, *RANGES["务工时间(月)"])
    wage_ok, wage = _integer("期望月薪", 6, *RANGES["期望月薪"])
    year_ok, year = _integer("脱贫年度", 4, *RANGES["脱贫年度"])
    income = col("人均纯收入")
    income_ok = income.is_null() | (
        income.str.contains(r"^[0-9]{1,8}(\.[0-9]{1,2})?$")
        & (income.cast(INCOME, strict=False) <= pl.lit(int(INCOME_MAX)).cast(INCOME))
    )
    household_type = _text("户类型")
    ok &= months_ok & wage_ok & year_ok & income_ok
    ok &= col("监测对象类型").is_null() | (household_type == "监测户")
    ok &= col("脱贫年度").is_null() | (household_type != "一般农户")
    names = [c for c in cells.columns if c != "row_no"]
    ok &= ~pl.any_horizontal(col(c).str.contains(_ODD_SPACE) for c in names).fill_null(False)

    cells = cells.with_columns(ok.fill_null(False).alias("ok"))
    training = _text("培训意愿")
    accepted = cells.filter("ok").select(
        col("row_no").alias("row_number"),
        col(AREA_CODE).alias("village_code"),
        col("户编号").alias("household_number"),
        col("姓名").alias("name"),
        id_.alias("id_number"),
        _text("与户主关系").alias("relation"),
        id_sex.alias("sex"),
        id_birth.alias("birth_date"),
        *(_text(column).alias(attr) for column, (_allowed, attr) in ENUMS.items() if attr != "relation"),
        months.alias("work_months"),
        _text("联系电话").alias("phone"),
        _text("就业意向").alias("job_wish"),
        wage.alias("expected_wage"),
        pl.when(training.is_in(list(NO_WISH))).then(pl.lit("")).otherwise(training).alias("training_wish"),
        _text("技能特长").alias("skills"),
        year.alias("poverty_exit_year"),
        income.cast(INCOME, strict=False).alias("income_per_capita"),
        *((col(column) == "是").alias(attr) for column, attr in FLAGS.items()),
    )
    accepted = accepted.select(pl.col(name).cast(dtype) for name, dtype in RECORD_SCHEMA.items())

    # The rest row by row, exactly as a small file's rows.
    rejected: list[tuple[int, list[CellError]]] = []
    slow_records: list[PersonRecord] = []
    slow = cells.filter(~pl.col("ok")).drop("ok")
    for row in slow.iter_rows(named=True):
        number = row.pop("row_no")
        record, errors = clean_row(row, lookup, row_number=number, today=today)
        if errors:
            rejected.append((number, errors))
        else:
            slow_records.append(record)
    if slow_records:
        accepted = pl.concat([accepted, records_frame(slow_records)]).sort("row_number")
    return accepted, rejected
