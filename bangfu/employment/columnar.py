"""Employment rows (EXCHANGE §5) checked column-wise: a large CSV file's cells as one polars frame.

As for the registry (registry/columnar.py), `check_cells` accepts with vectorised checks only the rows
whose every cell is in its plain, usual form — an 18-digit ID with a good check digit, a clean name, a
credit code in capitals with a good check character, ISO dates, values exactly as §5 spells them — and
sends every other row through `rows.clean_employment_row`, the one row checker. Both paths accept the
same rows with the same values and reject the rest with the same messages (a test holds them equal).

Accepted rows travel on as a frame with one column per `EmploymentRow` field (`RECORD_SCHEMA`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple

import polars as pl

from bangfu.employers.creditcode import ALPHABET, WEIGHTS
from bangfu.employment import rows
from bangfu.exchange.report import CellError
from bangfu.registry.columnar import _ODD_SPACE, plain_id, plain_name

RECORD_SCHEMA = {
    "row_number": pl.Int64,
    "id_number": pl.String,
    "name": pl.String,
    "employer_name": pl.String,
    "credit_code": pl.String,
    "work_code": pl.String,
    "started_on": pl.Date,
    "ended_on": pl.Date,
    "end_reason": pl.String,
    "monthly_wage": pl.Int64,
    "channel": pl.String,
}
assert tuple(RECORD_SCHEMA) == rows.ROW_FIELDS

# Employer names already as NFKC leaves them (full-width brackets are folded first, column-wise).
_EMPLOYER = r"^[\u3400-\u9fffA-Za-z0-9()·.&\- ]+$"
_CREDIT = "^[" + ALPHABET + "]{2}[0-9]{6}[" + ALPHABET + "]{10}$"
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def records_frame(records: list[rows.EmploymentRow]) -> pl.DataFrame:
    return pl.DataFrame([astuple(r) for r in records], schema=RECORD_SCHEMA, orient="row")


def _credit_ok(code: pl.Expr) -> pl.Expr:
    values = {ch: i for i, ch in enumerate(ALPHABET)}
    total = pl.sum_horizontal(
        code.str.slice(i, 1).replace_strict(values, default=None, return_dtype=pl.Int32) * weight
        for i, weight in enumerate(WEIGHTS)
    )
    check = pl.lit(list(ALPHABET)).list.get((31 - total % 31) % 31)
    return code.str.contains(_CREDIT) & (code.str.slice(17, 1) == check)


def _date(column: str) -> tuple[pl.Expr, pl.Expr]:
    text = pl.col(column)
    value = text.str.to_date("%Y-%m-%d", strict=False)
    ok = text.str.contains(_ISO_DATE) & value.is_not_null()
    return ok, value


def check_cells(
    cells: pl.DataFrame, today: dt.date
) -> tuple[pl.DataFrame, list[tuple[int, list[CellError]]]]:
    """(accepted, rejected): `cells` has `row_no` and one text column per §5 column (stripped, empty as
    null); `accepted` holds the valid rows (RECORD_SCHEMA) in file order, `rejected` each invalid row's
    number and reasons."""
    col = pl.col
    id_ok, _birth, _sex = plain_id(col(rows.ID), today)
    employer = col(rows.EMPLOYER).str.replace_many(["（", "）"], ["(", ")"])
    credit = col(rows.CREDIT_CODE)
    work = col(rows.WORK_AREA)
    started_ok, started = _date(rows.STARTED)
    ended_ok, ended = _date(rows.ENDED)
    wage = col(rows.WAGE)
    wage_value = wage.cast(pl.Int64, strict=False)
    reason = col(rows.END_REASON)
    first, last = rows.FIRST_DAY, today
    ok = (
        id_ok
        & plain_name(col(rows.NAME), rows.NAME_LIMIT)
        & employer.str.contains(_EMPLOYER)
        & (employer.str.len_chars() <= rows.EMPLOYER_LIMIT)
        & (employer.str.strip_chars() == employer)
        & (credit.is_null() | _credit_ok(credit))
        & work.str.contains(rows.AREA_DIGITS.pattern)
        & started_ok
        & started.is_between(first, last)
        & (col(rows.ENDED).is_null() | (ended_ok & ended.is_between(first, last) & (ended >= started)))
        & (reason.is_null() | (reason.is_in(rows.END_REASONS) & ended.is_not_null()))
        & (wage.is_null() | (wage.str.contains(r"^[0-9]{1,7}$") & (wage_value <= rows.WAGE_MAX)))
        & (col(rows.CHANNEL).is_null() | col(rows.CHANNEL).is_in(rows.CHANNELS))
    )
    names = [c for c in cells.columns if c != "row_no"]
    ok &= ~pl.any_horizontal(col(c).str.contains(_ODD_SPACE) for c in names).fill_null(False)
    cells = cells.with_columns(ok.fill_null(False).alias("ok"))
    accepted = cells.filter("ok").select(
        col("row_no").cast(pl.Int64).alias("row_number"),
        col(rows.ID).alias("id_number"),
        col(rows.NAME).alias("name"),
        employer.alias("employer_name"),
        credit.fill_null("").alias("credit_code"),
        work.str.pad_end(12, "0").alias("work_code"),
        started.alias("started_on"),
        ended.alias("ended_on"),
        col(rows.END_REASON).fill_null("").alias("end_reason"),
        wage.cast(pl.Int64, strict=False).alias("monthly_wage"),
        col(rows.CHANNEL).fill_null("").alias("channel"),
    )
    rejected: list[tuple[int, list[CellError]]] = []
    slow_records: list[rows.EmploymentRow] = []
    for row in cells.filter(~pl.col("ok")).drop("ok").iter_rows(named=True):
        number = row.pop("row_no")
        record, errors = rows.clean_employment_row(row, today=today, row_number=number)
        if errors:
            rejected.append((number, errors))
        else:
            slow_records.append(record)
    if slow_records:
        accepted = pl.concat([accepted, records_frame(slow_records)]).sort("row_number")
    return accepted, rejected
