"""Write spreadsheets with xlsxwriter: error reports of rejected rows, and plain .xlsx/.csv exports."""

from __future__ import annotations

import csv
import datetime as dt
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path

import xlsxwriter

from bangfu.exchange.spreadsheet import FORMULA_STARTS, GUARD, as_text

EXCEL_MAX_ROWS = 1_048_576
REASON_SEPARATOR = "；"
_WIDTH_SAMPLE_ROWS = 500
_EXACT_DIGITS = 10**15  # Excel keeps 15 significant digits: bigger integers are written as text
# formula_safe's test as a regex, for text columns written by polars (write_frames).
_FORMULA_START = "^[" + "".join("\\" + c if c in "-\\]^" else c for c in FORMULA_STARTS + GUARD) + "]"


@dataclass(frozen=True)
class CellError:
    """One reason a row was rejected; `column` is None for a problem of the whole row."""

    column: str | None
    value: object
    message: str

    def describe(self) -> str:
        if self.column is None:
            return self.message
        text = as_text(self.value).strip()
        shown = f"「{text}」" if text else "（空）"
        return f"{self.column}{shown}：{self.message}"


@dataclass
class RowProblem:
    """A rejected source row: its Excel row number, its original cells and every reason."""

    row_number: int
    raw_cells: Sequence[object] | None  # None until filled in, for rows rejected after cleaning
    errors: list[CellError] = field(default_factory=list)

    def reasons(self) -> str:
        return REASON_SEPARATOR.join(error.describe() for error in self.errors)


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK characters take two."""
    line = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _widths(header: Sequence[str], rows: Iterable[Sequence[object]], count: int) -> list[int]:
    widths = [_display_width(str(name)) for name in header] + [0] * (count - len(header))
    for row in rows:
        for index, value in enumerate(row[:count]):
            width = _display_width(as_text(value))
            if width > widths[index]:
                widths[index] = width
    return widths


def write_error_report(path: str | Path, header: Sequence[str], problems: Iterable[RowProblem]) -> int:
    """Write the rejected rows to an .xlsx: 原行号, the original columns as text, 错误原因.

    Problems of the same row are merged into one line; lines are sorted by row number. Returns the
    number of rows written.
    """
    by_row: dict[int, RowProblem] = {}
    for problem in problems:
        known = by_row.get(problem.row_number)
        if known is None:
            number = problem.row_number
            by_row[number] = RowProblem(number, problem.raw_cells, list(problem.errors))
        else:
            known.errors.extend(problem.errors)
    ordered = [by_row[number] for number in sorted(by_row)]
    if len(ordered) >= EXCEL_MAX_ROWS:
        raise ValueError(f"出错的行太多（{len(ordered)}行），超过了 Excel 的行数上限。")

    count = max([len(header), *(len(problem.raw_cells) for problem in ordered)])
    titles = ["原行号", *header, *[""] * (count - len(header)), "错误原因"]
    reasons = [problem.reasons() for problem in ordered]
    sample = ordered[:_WIDTH_SAMPLE_ROWS]
    widths = _widths(header, (problem.raw_cells for problem in sample), count)
    reason_width = max(_display_width(text) for text in ["错误原因", *reasons[:_WIDTH_SAMPLE_ROWS]])

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet("错误行")
        bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        text = workbook.add_format({"num_format": "@"})
        sheet.set_column(0, 0, 8)
        for index, width in enumerate(widths, start=1):
            sheet.set_column(index, index, min(max(width + 2, 8), 50), text)
        sheet.set_column(count + 1, count + 1, min(max(reason_width + 2, 20), 100))
        sheet.freeze_panes(1, 0)
        for column, title in enumerate(titles):
            sheet.write_string(0, column, title, bold)
        for line, (problem, reason) in enumerate(zip(ordered, reasons, strict=True), start=1):
            sheet.write_number(line, 0, problem.row_number)
            for column, value in enumerate(problem.raw_cells, start=1):
                shown = as_text(value)
                if shown:
                    sheet.write_string(line, column, shown, text)
            sheet.write_string(line, count + 1, reason)
        if ordered:
            sheet.autofilter(0, 0, len(ordered), count + 1)
    finally:
        workbook.close()
    return len(ordered)


def excel_overflow(rows: int) -> str:
    """Why `rows` data rows cannot be exported as one Excel sheet ('' when they can): export views check
    it before writing, so that a user learns it at once instead of after a million rows."""
    if rows < EXCEL_MAX_ROWS:
        return ""
    return (
        f"共 {rows} 行，超过 Excel 工作表的行数上限（{EXCEL_MAX_ROWS - 1} 行）。"
        "请导出 CSV，或缩小筛选范围后再导出 Excel。"
    )


def write_table(
    path: str | Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    file_format: str | None = None,
) -> int:
    """Export rows to .xlsx (streamed, constant memory) or .csv (UTF-8 with BOM for Excel).

    `file_format` is "xlsx" or "csv"; by default it follows the file extension. Text cells are always
    written as text (an ID stays 18 digits); numbers, dates and booleans keep their type in .xlsx.
    Returns the number of data rows written.
    """
    kind = (file_format or Path(path).suffix.lstrip(".")).lower()
    if kind == "csv":
        return _write_csv(path, header, rows)
    if kind == "xlsx":
        return _write_xlsx(path, header, rows)
    raise ValueError(f"不支持导出为 {kind or '（无扩展名）'} 格式，请使用 xlsx 或 csv。")


def formula_safe(text: str) -> str:
    """A CSV cell that Excel and WPS show as text and never run as a formula (OWASP's advice on CSV
    injection): text starting with = + - @, a tab or a carriage return gets a leading apostrophe, and so
    does text that starts with an apostrophe already, so that the reader (spreadsheet.unguard) gives
    every value back exactly: -5 → '-5 → -5, +8613812345678 → '+8613812345678 → +8613812345678."""
    if text and (text[0] in FORMULA_STARTS or text[0] == GUARD):
        return GUARD + text
    return text


def write_frames(
    path: str | Path, header: Sequence[str], frames: Iterable, *, file_format: str | None = None
) -> int:
    """`write_table` for rows that come as polars frames (columns in `header`'s order): a .csv is written
    by polars a frame at a time, with the same cells as `write_table` (UTF-8 with BOM, CRLF, a float that
    is whole without ".0"); a .xlsx with the same cells as `write_table`, the XML of plain frames made by
    polars (`_Sheet.write_frame`). Returns the number of data rows."""
    kind = (file_format or Path(path).suffix.lstrip(".")).lower()
    if kind == "xlsx":
        return _write_xlsx_frames(path, header, frames)
    if kind != "csv":
        return write_table(path, header, (), file_format=kind)  # says which formats there are
    import polars as pl

    written = 0
    with open(path, "wb") as handle:
        handle.write(("\ufeff" + ",".join(_csv_cell(formula_safe(h)) for h in header) + "\r\n").encode())
        for frame in frames:
            floats = [name for name, dtype in frame.schema.items() if dtype.is_float()]
            texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
            frame = frame.with_columns(
                *(
                    pl.when(pl.col(name) == pl.col(name).floor())
                    .then(pl.col(name).cast(pl.Int64).cast(pl.String))
                    .otherwise(pl.col(name).cast(pl.String))
                    for name in floats
                ),
                # polars writes "" for an empty text (to tell it from a null); the csv module nothing.
                # Text that Excel would run as a formula is guarded as formula_safe guards it.
                *(
                    pl.when(pl.col(name).str.contains(_FORMULA_START))
                    .then(GUARD + pl.col(name))
                    .otherwise(pl.col(name).replace("", None))
                    .alias(name)
                    for name in texts
                ),
            )
            frame.write_csv(handle, include_header=False, line_terminator="\r\n")
            written += frame.height
    return written


def _csv_cell(text: str) -> str:
    return f'"{text}"' if any(c in text for c in ',"\r\n') else text


def _write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Text cells go through formula_safe; numbers, dates and booleans are written as they are (a
    negative number is a number, not a formula)."""
    written = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([formula_safe(str(name)) for name in header])
        for row in rows:
            writer.writerow([formula_safe(value) if type(value) is str else as_text(value) for value in row])
            written += 1
    return written


class _Sheet:
    """An .xlsx of one sheet written by xlsxwriter in constant-memory mode: a bold, frozen header row and
    column widths from the first rows; rows follow, each written out as soon as the next one starts."""

    def __init__(self, path: str | Path, header: Sequence[str], sample: Sequence[Sequence[object]]):
        count = max([len(header), *(len(row) for row in sample)])
        self.workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "remove_timezone": True})
        self.sheet = sheet = self.workbook.add_worksheet()
        bold = self.workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        self.date_format = self.workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime_format = self.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.time_format = self.workbook.add_format({"num_format": "hh:mm:ss"})
        for index, width in enumerate(_widths(header, sample, count)):
            sheet.set_column(index, index, min(max(width + 2, 8), 50))
        sheet.freeze_panes(1, 0)
        for column, title in enumerate(header):
            sheet.write_string(0, column, str(title), bold)

    def write_row(self, line: int, row: Sequence[object]) -> None:
        if line >= EXCEL_MAX_ROWS:
            raise ValueError(f"数据超过 Excel 的行数上限（{EXCEL_MAX_ROWS - 1}行），请改为导出 CSV。")
        sheet = self.sheet
        for column, value in enumerate(row):
            kind = type(value)
            if value is None:
                continue
            if kind is str:
                if value:
                    sheet.write_string(line, column, value)
            elif kind is bool:
                sheet.write_boolean(line, column, value)
            elif kind is int or kind is float or kind is Decimal:
                number = float(value)
                if math.isfinite(number) and (kind is not int or abs(value) < _EXACT_DIGITS):
                    sheet.write_number(line, column, number)
                else:
                    sheet.write_string(line, column, as_text(value))
            elif kind is dt.datetime:
                sheet.write_datetime(line, column, value, self.datetime_format)
            elif kind is dt.date:
                sheet.write_datetime(line, column, value, self.date_format)
            elif kind is dt.time:
                sheet.write_datetime(line, column, value, self.time_format)
            else:
                sheet.write_string(line, column, as_text(value))

    def write_frame(self, first_line: int, frame) -> None:
        """The rows of a polars frame from `first_line` on. A frame of text and integers in their usual
        form becomes the row XML in polars, column-wise, exactly as xlsxwriter writes those cells (inline
        strings, XML-escaped, whitespace kept; numbers), appended to the sheet's row file; any other frame
        goes cell by cell through `write_row`. (Cell by cell, xlsxwriter costs some 5 µs a cell: a
        million-row ledger would take minutes.) The sheet's row file and dimensions are xlsxwriter's
        constant-memory internals (pinned version; `exchange/tests/test_report.py` holds the two ways
        byte-for-byte equal)."""
        last_line = first_line + frame.height - 1
        if last_line >= EXCEL_MAX_ROWS:
            raise ValueError(f"数据超过 Excel 的行数上限（{EXCEL_MAX_ROWS - 1}行），请改为导出 CSV。")
        sheet = self.sheet
        sheet._write_single_row(first_line)  # the rows written so far (the header) out to the row file
        if not _plain_xml(frame):
            for line, row in enumerate(frame.iter_rows(), start=first_line):
                self.write_row(line, row)
            sheet._write_single_row(last_line + 1)
            return
        sheet.fh.write(_rows_xml(frame, first_line))
        sheet.previous_row = last_line + 1
        sheet.dim_rowmax = max(sheet.dim_rowmax or 0, last_line)
        sheet.dim_colmin = 0 if sheet.dim_colmin is None else sheet.dim_colmin
        sheet.dim_colmax = max(sheet.dim_colmax or 0, frame.width - 1)

    def close(self) -> None:
        self.workbook.close()


# What xlsxwriter escapes as _xHHHH_ (control characters, and text looking like such an escape), and the
# longest text a cell holds: frames with any of them are written cell by cell.
_UNUSUAL_TEXT = r"[\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_"
_XLSX_MAX_TEXT = 32767


def _plain_xml(frame) -> bool:
    import polars as pl

    checks = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if dtype == pl.String:
            checks.append(
                column.str.contains(_UNUSUAL_TEXT).any() | (column.str.len_chars().max() > _XLSX_MAX_TEXT)
            )
        elif dtype.is_integer():
            checks.append((column.abs() >= _EXACT_DIGITS).any())
        else:
            return False
    if not checks:
        return True
    return not any(value for value in frame.select(checks).row(0) if value)


def _rows_xml(frame, first_line: int) -> str:
    import polars as pl
    from xlsxwriter.utility import xl_col_to_name

    number = (pl.int_range(0, pl.len(), dtype=pl.Int64) + first_line + 1).cast(pl.String)
    cells = []
    for index, (name, dtype) in enumerate(frame.schema.items()):
        column, start = pl.col(name), pl.lit(f'<c r="{xl_col_to_name(index)}')
        if dtype == pl.String:
            text = (
                column.str.replace_all("&", "&amp;", literal=True)
                .str.replace_all("<", "&lt;", literal=True)
                .str.replace_all(">", "&gt;", literal=True)
            )
            space = (
                pl.when(column.str.contains(r"^\s|\s$"))
                .then(pl.lit(' xml:space="preserve"'))
                .otherwise(pl.lit(""))
            )
            cell = pl.concat_str(
                [
                    start,
                    number,
                    pl.lit('" t="inlineStr"><is><t'),
                    space,
                    pl.lit(">"),
                    text,
                    pl.lit("</t></is></c>"),
                ]
            )
            cells.append(pl.when(column.is_null() | (column == "")).then(pl.lit("")).otherwise(cell))
        else:
            cell = pl.concat_str([start, number, pl.lit('"><v>'), column.cast(pl.String), pl.lit("</v></c>")])
            cells.append(pl.when(column.is_null()).then(pl.lit("")).otherwise(cell))
    row = pl.concat_str([pl.lit('<row r="'), number, pl.lit('">'), *cells, pl.lit("</row>")])
    return "".join(frame.select(row.alias("xml")).get_column("xml").to_list())


def _write_xlsx(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    rows = iter(rows)
    sample = list(islice(rows, _WIDTH_SAMPLE_ROWS))
    book = _Sheet(path, header, sample)
    written = 0
    try:
        for line, row in enumerate(chain(sample, rows), start=1):
            book.write_row(line, row)
            written = line
    finally:
        book.close()
    return written


def _write_xlsx_frames(path: str | Path, header: Sequence[str], frames: Iterable) -> int:
    frames = iter(frames)
    first: list = []  # the frames that hold the width sample's rows
    while (
        sum(frame.height for frame in first) < _WIDTH_SAMPLE_ROWS
        and (frame := next(frames, None)) is not None
    ):
        first.append(frame)
    sample = [row for frame in first for row in frame.iter_rows()][:_WIDTH_SAMPLE_ROWS]
    book = _Sheet(path, header, sample)
    written = 0
    try:
        for frame in chain(first, frames):
            if frame.height:
                book.write_frame(written + 1, frame)
                written += frame.height
    finally:
        book.close()
    return written
