"""Large CSV files read whole into a polars frame, for imports that check rows column-wise.

Everything the row-by-row reader (`spreadsheet.Sheet.rows`) decides stays decided by it: the header
found under title rows, the columns, the encoding and delimiter. This module only reads the data rows
below the header, as text, at the speed of polars (Rust, all cores), and numbers them as that reader does.
"""

from __future__ import annotations

import codecs
import tempfile
from pathlib import Path

from bangfu.exchange.spreadsheet import (
    FOOTER_ROWS,
    FORMULA_STARTS,
    GUARD,
    NO_ROWS,
    Sheet,
    SpreadsheetError,
    _encoding_name,
    _first_undecodable_line,
    is_footer,
)

# A cell the export guarded against formulas (spreadsheet.unguard, column-wise).
GUARDED = "^" + GUARD + "[" + "".join("\\" + c if c in "-\\]^" else c for c in FORMULA_STARTS + GUARD) + "]"

# Below this size the row-by-row reader is as quick and a frame is not worth building.
FAST_CSV_BYTES = 256 * 1024


def can_read_fast(sheet: Sheet) -> bool:
    return sheet.format == "csv" and sheet.path.stat().st_size >= FAST_CSV_BYTES


UTF8 = ("utf-8", "utf-8-sig")


def utf8_copy(path: Path, encoding: str) -> Path:
    """polars reads UTF-8 only: the file is transcoded (and so checked) into a temporary copy, 1 MiB at a
    time. A part in another encoding is the same whole-file error the row-by-row reader gives. A UTF-8
    file is read as it is: polars checks every value itself (read_csv_frame)."""
    if encoding in UTF8:
        return path
    decoder = codecs.getincrementaldecoder(encoding)()
    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as target, open(path, "rb") as source:
        try:
            while chunk := source.read(1 << 20):
                target.write(decoder.decode(chunk).encode("utf-8"))
            target.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError as error:
            Path(target.name).unlink(missing_ok=True)
            raise _not_encoded(path, encoding) from error
    return Path(target.name)


def _not_encoded(path: Path, encoding: str) -> SpreadsheetError:
    line = _first_undecodable_line(path, encoding)
    return SpreadsheetError(
        f"文件第{line}行附近的内容不是 {_encoding_name(encoding)} 编码，文件编码不一致。"
        "请用 Excel 或记事本打开后另存为“UTF-8”编码的 CSV 文件再导入。"
    )


def read_csv_frame(sheet: Sheet, names: list[str]):
    """(raw, cells): `raw` holds every data row as read (all columns, text, null for empty) with its
    Excel-style row number in `row_no`; `cells` holds the non-blank rows with `row_no` and one column
    per name in `names` (stripped, empty as null; a column the file lacks is all null).

    Blank rows (every cell empty or spaces) are dropped from `cells` and keep their numbers, as
    `Sheet.rows` does."""
    import polars as pl

    _check_first_row(sheet)
    path = utf8_copy(sheet.path, sheet.encoding)
    try:
        frame = pl.read_csv(
            path,
            has_header=False,
            skip_rows=sheet.first_data_row - 1,
            infer_schema=False,
            separator=sheet.delimiter,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.ComputeError as error:
        if "utf-8" in str(error) and sheet.encoding in UTF8:  # "invalid utf-8 sequence"
            raise _not_encoded(sheet.path, sheet.encoding) from error
        raise SpreadsheetError(f"CSV 文件格式有误，无法读取（{error}）。") from error
    finally:
        if path != sheet.path:
            path.unlink(missing_ok=True)
    first = sheet.first_data_row
    _check_frame(frame, sheet)
    raw = frame.with_row_index("row_no").with_columns(pl.col("row_no").cast(pl.Int64) + first)
    originals = frame.columns
    width = len(originals)

    def cell(name: str):
        index = sheet.columns.get(name)
        if index is None or index >= width:
            return pl.lit(None, dtype=pl.String).alias(name)
        value = pl.col(originals[index]).str.strip_chars()
        value = pl.when(value.str.contains(GUARDED)).then(value.str.slice(1)).otherwise(value)
        return value.replace("", None).alias(name)

    blank = pl.all_horizontal(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in originals)
    filled = raw.filter(~blank)
    footer = _footer_rows(filled)
    if footer:
        filled = filled.filter(~pl.col("row_no").is_in(footer))
    sheet.note_footer(footer)
    cells = filled.select("row_no", *(cell(name) for name in names))
    if cells.height == 0:
        raise SpreadsheetError(NO_ROWS)
    return raw, cells


def _footer_rows(filled) -> list[int]:
    """The footer under the data, as Sheet.rows finds it: the last non-blank rows that is_footer takes, when
    there are at most FOOTER_ROWS of them."""
    found = []
    for row in reversed(filled.tail(FOOTER_ROWS + 1).rows()):
        if not is_footer(row[1:]):
            break
        found.append(row[0])
    return sorted(found) if len(found) <= FOOTER_ROWS else []


def _check_first_row(sheet: Sheet) -> None:
    """polars takes its columns from the first row it reads: that row is read first by the row-by-row
    reader, which refuses a row of more columns (or a longer cell) than the read limits allow."""
    for _record in sheet._source.records(sheet.first_data_row - 1):
        break


def _check_frame(frame, sheet: Sheet) -> None:
    """The rows and the longest cell of a frame against the read limits (limits.py)."""
    import polars as pl

    limits = sheet.limits
    if frame.height + sheet.first_data_row - 1 > limits.rows:
        raise SpreadsheetError(
            f"文件超过 {limits.rows:,} 行，超过了可读取的上限。请按区域拆分成几个文件分别导入。"
        )
    if frame.width:
        longest = frame.select(pl.max_horizontal(pl.all().str.len_chars().max())).item() or 0
        if longest > limits.cell_chars:
            raise SpreadsheetError(
                f"文件中有一个单元格超过 {limits.cell_chars:,} 个字符，超过了可读取的上限。"
                "常见原因是某个单元格的引号没有成对（后面的内容都被读进了这一格），请检查后再导入。"
            )


def raw_cells(raw, row_numbers) -> dict[int, list[str]]:
    """Row number → the row's cells as read (empty for null), for error reports."""
    import polars as pl

    wanted = raw.filter(pl.col("row_no").is_in(list(row_numbers)))
    return {row[0]: ["" if v is None else v for v in row[1:]] for row in wanted.iter_rows()}
