"""Read .xlsx, .xls and .csv files: find the header under title rows and stream typed data rows."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from pathlib import Path

import python_calamine

from bangfu.exchange import limits as read_limits
from bangfu.exchange.limits import ReadLimits, Refused

HEADER_SCAN_ROWS = 30
"""How many rows from the top of a sheet are searched for the header."""

CSV_SAMPLE_BYTES = 1 << 20
"""How much of a CSV file is read to detect its encoding and delimiter."""

EXTENSIONS = (".xlsx", ".xls", ".csv")
DELIMITERS = ",\t;"

NO_ROWS = "文件中表头以下没有数据行。"

FORMULA_STARTS = "=+-@\t\r"
"""A CSV cell starting with one of these may run as a formula in Excel or WPS: exports put an apostrophe
ahead of it (report.formula_safe) and the reader takes it away again (unguard)."""
GUARD = "'"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_EXACT_FLOAT = 2**53


@dataclass(frozen=True)
class Column:
    """A column an import expects; `aliases` are other header texts that mean the same column."""

    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class Row:
    """One data row: `number` is the row number Excel shows, `cells` maps canonical column names to values."""

    number: int
    cells: dict[str, object]
    raw: list[object]


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet of the expected columns; `message` is for the user."""

    def __init__(self, message: str, *, missing: Sequence[str] = (), seen: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.missing = tuple(missing)
        self.seen = tuple(seen)


# --------------------------------------------------------------------------------------------------
# Text helpers


_WHITESPACE = re.compile(r"\s+")


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKC", text.casefold())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return _WHITESPACE.sub("", text).strip("*")


def fold(text: str) -> str:
    """The normal form header names are compared in.

    NFKC (full-width to half-width, so （） equals ()), case-folded, without any whitespace, line
    breaks or invisible format characters, and without the `*` templates put on required columns.
    """
    for _ in range(10):
        folded = _fold_once(text)
        if folded == text:
            break
        text = folded
    return text


def as_text(value: object) -> str:
    """A cell value as the user sees it in Excel, for headers, messages and reports."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        # Excel keeps 15 significant digits; show them without exponent, like a "0" number format.
        text = format(Decimal(f"{value:.15g}"), "f")
        return "0" if text == "-0" else text
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


FOOTER_ROWS = 10
"""At most this many rows under the data are taken for its footer."""
FOOTER_LABELS = (
    "填表人", "填报人", "填表日期", "填报日期", "填表时间", "填报时间", "填表单位", "填报单位", "制表人",
    "制表单位", "制表日期", "制表时间", "制表", "审核人", "审核", "审批人", "复核人", "核对人", "负责人",
    "单位负责人", "主要负责人", "分管领导", "经办人", "统计人", "联系人", "联系电话", "签字", "签名", "盖章",
    "单位盖章", "单位(盖章)", "单位(公章)", "备注", "说明", "注", "附注", "合计", "总计",
)  # fmt: skip
_FOOTER = re.compile(
    "(?:"
    + "|".join(re.escape(label) for label in sorted(FOOTER_LABELS, key=len, reverse=True))
    + ")(?:$|[:(])"
)


def is_footer(cells: Sequence[object]) -> bool:
    """Whether a row below the header is part of a county office's footer rather than data: its first
    filled cell is a label such as 填表人：, 填表日期：, 审核人, 制表单位, 单位（盖章）, 备注： or 合计 (after
    fold, so full-width colons and spaces do not matter). Sheet.rows skips such rows when they are the
    last of the sheet (at most FOOTER_ROWS of them, blank rows between not counted)."""
    for value in cells:
        text = as_text(value).strip()
        if text:
            return _FOOTER.match(fold(text[:40])) is not None
    return False


def unguard(text: str) -> str:
    """A CSV cell as it was before report.formula_safe: one leading apostrophe is taken away when a
    formula character or another apostrophe follows it (the export adds it exactly then)."""
    if text[:1] == GUARD and len(text) > 1 and (text[1] in FORMULA_STARTS or text[1] == GUARD):
        return text[1:]
    return text


def _csv_value(value: str) -> str | None:
    """One CSV cell as the imports see it: stripped, empty as None, the export's formula guard undone."""
    value = value.strip()
    if not value:
        return None
    return unguard(value) if value[0] == GUARD else value


def _excel_value(value: object) -> object:
    """Clean one Excel cell: strip text (empty becomes None), turn whole floats into int."""
    kind = type(value)
    if kind is str:
        value = value.strip()
        return value or None
    if kind is float and value.is_integer() and -_MAX_EXACT_FLOAT < value < _MAX_EXACT_FLOAT:
        return int(value)
    return value


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --------------------------------------------------------------------------------------------------
# Sources: where rows come from


class _ExcelSource:
    """A worksheet loaded by calamine; rows are absolute (row 0 is Excel row 1, column 0 is A)."""

    def __init__(self, sheet: python_calamine.CalamineSheet) -> None:
        self._sheet = sheet
        self._merges = sheet.merged_cell_ranges or []

    def head(self, count: int) -> list[list[object]]:
        if self._sheet.start is None:
            return []
        rows = self._sheet.to_python(skip_empty_area=False, nrows=count)
        # A group cell merged across columns covers all of them (calamine gives only the first). A cell
        # merged down needs nothing: the header finder reads an empty cell under a header as that header.
        for (top, left), (_bottom, right) in self._merges:
            if top < len(rows) and left < len(rows[top]):
                row = rows[top]
                for column in range(left + 1, min(right, len(row) - 1) + 1):
                    if row[column] == "":
                        row[column] = row[left]
        return rows

    @property
    def merged_rows(self) -> frozenset[int]:
        """Rows where merged ranges start: there, merges say how far a group cell reaches."""
        return frozenset(top for (top, _left), _end in self._merges)

    def records(self, first: int) -> Iterator[tuple[int, list[object]]]:
        start, end = self._sheet.start, self._sheet.end
        if start is None or end is None:
            return
        rows = iter(self._sheet.iter_rows())
        first_row = next(rows, None)
        if first_row is None:
            return
        # python-calamine's iter_rows starts at row 0 but at the first used column (0.9); be robust to
        # either choice for rows and columns. The first used row always holds a non-empty cell.
        index = 0 if start[0] > 0 and all(v == "" for v in first_row) else start[0]
        pad = [""] * max(0, end[1] + 1 - len(first_row))
        # Vertically merged data cells (a household number spanning its members) fill down.
        fills: dict[int, list[tuple[int, int]]] = {}
        for (top, left), (bottom, _right) in self._merges:
            if bottom > top and top >= first:
                fills.setdefault(top, []).append((left, bottom))
        active: list[tuple[int, object, int]] = []
        for row in chain((first_row,), rows):
            if index >= first:
                if pad:
                    row = pad + row
                if active:
                    active = [fill for fill in active if fill[2] >= index]
                    for column, value, _bottom in active:
                        if column < len(row) and row[column] == "":
                            row[column] = value
                if index in fills:
                    active.extend(
                        (column, row[column], bottom) for column, bottom in fills[index] if column < len(row)
                    )
                yield index, row
            index += 1


class _CsvSource:
    def __init__(self, path: Path, encoding: str, delimiter: str, limits: ReadLimits) -> None:
        self.path = path
        self.encoding = encoding
        self.delimiter = delimiter
        self.limits = limits

    def head(self, count: int) -> list[list[object]]:
        head: list[list[object]] = []
        for _index, row in self.records(0):
            head.append(row)
            if len(head) >= count:
                break
        return head

    def check_decodes(self) -> None:
        decoder = codecs.getincrementaldecoder(self.encoding)()
        with open(self.path, "rb") as handle:
            try:
                while chunk := handle.read(1 << 22):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                raise self._decode_error() from error

    def _decode_error(self) -> SpreadsheetError:
        line = _first_undecodable_line(self.path, self.encoding)
        return SpreadsheetError(
            f"文件第{line}行附近的内容不是 {_encoding_name(self.encoding)} 编码，文件编码不一致。"
            "请用 Excel 或记事本打开后另存为“UTF-8”编码的 CSV 文件再导入。"
        )

    def records(self, first: int) -> Iterator[tuple[int, list[object]]]:
        """(0-based record number, cells) from record `first` on; SpreadsheetError past a read limit:
        too many rows or columns, or a cell too long (an unclosed quote takes the rest of the file)."""
        limits = self.limits
        number = 0  # records read so far
        csv.field_size_limit(limits.cell_chars)  # process-wide: the same limit for every reader
        try:
            with open(self.path, encoding=self.encoding, newline="") as handle:
                for number, row in enumerate(csv.reader(handle, delimiter=self.delimiter), 1):
                    if len(row) > limits.columns:
                        raise SpreadsheetError(
                            f"CSV 文件第{number}行有 {len(row):,} 列，"
                            f"超过了可读取的上限（{limits.columns:,} 列），不像一个数据表。"
                            "请检查文件是否正确。"
                        )
                    if number > limits.rows:
                        raise SpreadsheetError(
                            f"文件超过 {limits.rows:,} 行，超过了可读取的上限。"
                            "请按区域拆分成几个文件分别导入。"
                        )
                    if number > first:
                        yield number - 1, row
        except UnicodeDecodeError as error:
            raise self._decode_error() from error
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise SpreadsheetError(
                    f"CSV 文件第{number + 1}行起有一个单元格超过 {limits.cell_chars:,} 个字符，"
                    "超过了可读取的上限。常见原因是某个单元格的引号没有成对（后面的内容都被读进了这一格），请检查后再导入。"
                ) from error
            raise SpreadsheetError(f"CSV 文件第{number + 1}行格式有误，无法读取（{error}）。") from error


def _first_undecodable_line(path: Path, encoding: str) -> int:
    """The 1-based line holding the first byte that does not decode."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return lines + chunk.count(b"\n", 0, max(error.start, 0))
            lines += chunk.count(b"\n")
    return lines


def _encoding_name(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GBK/GB18030", "utf-16": "UTF-16"}.get(
        encoding, encoding
    )


# --------------------------------------------------------------------------------------------------
# The sheet


@dataclass
class Sheet:
    """An opened sheet whose header has been found. `rows()` streams the data rows below it."""

    path: Path
    format: str
    """"xlsx", "xls" or "csv"."""
    sheet_name: str | None
    header_row: int
    """1-based number of the (first) header row."""
    header_height: int
    """1, or 2 for a two-row header (group cells above sub-columns)."""
    header: list[str]
    """The header text of every column, by 0-based column index (as shown to the user)."""
    columns: dict[str, int]
    """Canonical column name -> 0-based column index, for the expected columns that were found."""
    unknown_columns: list[str]
    warnings: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    limits: ReadLimits = field(default_factory=ReadLimits)
    footer_rows: list[int] = field(default_factory=list)
    """Row numbers of the footer below the data (填表人, 审核人, 备注 …), known once rows() has run."""
    _source: _ExcelSource | _CsvSource | None = field(default=None, repr=False, compare=False)

    @property
    def first_data_row(self) -> int:
        """1-based number of the first row below the header."""
        return self.header_row + self.header_height

    def check_readable(self) -> None:
        """Raise SpreadsheetError now if reading all rows would fail part-way. Spreadsheets are loaded
        whole when opened; a CSV file is decoded to its end (about a second per million rows)."""
        if isinstance(self._source, _CsvSource):
            self._source.check_decodes()

    def rows(self) -> Iterator[Row]:
        """Yield the non-blank data rows below the header, numbered as in Excel; callable again.
        SpreadsheetError when there are none (a header alone, or blank rows under it)."""
        if self._source is None:
            return
        pairs = list(self.columns.items())
        first = self.first_data_row - 1
        rows = (
            self._csv_rows(pairs, first)
            if isinstance(self._source, _CsvSource)
            else self._excel_rows(pairs, first)
        )
        empty = True
        footer: list[Row] = []  # footer-like rows since the last data row
        for row in rows:
            if is_footer(row.raw):
                footer.append(row)
                continue
            empty = False
            yield from footer
            footer.clear()
            yield row
        if len(footer) > FOOTER_ROWS:  # that many are data after all (reported as such)
            empty = False
            yield from footer
            footer.clear()
        self.note_footer([row.number for row in footer])
        if empty:
            raise SpreadsheetError(NO_ROWS)

    def note_footer(self, numbers: list[int]) -> None:
        """Keep the footer's row numbers, and say once among the warnings that they were not read."""
        self.footer_rows = numbers
        if numbers:
            shown = f"第{numbers[0]}行" if len(numbers) == 1 else f"第{numbers[0]}–{numbers[-1]}行"
            note = f"表格末尾的{shown}是填表人、审核人、备注等表尾，不作为数据读取。"
            if note not in self.warnings:
                self.warnings.append(note)

    def _csv_rows(self, pairs: list[tuple[str, int]], first: int) -> Iterator[Row]:
        assert isinstance(self._source, _CsvSource)
        needed = max((index for _name, index in pairs), default=-1) + 1
        for index, raw in self._source.records(first):
            if not any(raw):
                continue
            if len(raw) >= needed:
                cells = {name: _csv_value(raw[i]) for name, i in pairs}
            else:
                size = len(raw)
                cells = {name: _csv_value(raw[i]) if i < size else None for name, i in pairs}
            if not any(cells.values()) and not any(value.strip() for value in raw):
                continue
            yield Row(index + 1, cells, raw)

    def _excel_rows(self, pairs: list[tuple[str, int]], first: int) -> Iterator[Row]:
        assert isinstance(self._source, _ExcelSource)
        clean = _excel_value
        for index, raw in self._source.records(first):
            if raw.count("") == len(raw):
                continue
            cells = {name: clean(raw[i]) for name, i in pairs}
            if all(value is None for value in cells.values()) and all(
                type(value) is str and not value.strip() for value in raw
            ):
                continue
            yield Row(index + 1, cells, raw)


# --------------------------------------------------------------------------------------------------
# Opening files


def open_sheet(
    path: str | Path, columns: Sequence[Column], *, sheet: str | None = None, limits: ReadLimits | None = None
) -> Sheet:
    """Open a spreadsheet, find its header for `columns` and return it ready to stream rows.

    Raises SpreadsheetError (Chinese message) for unreadable files, files beyond the read limits
    (`limits`, by default those configured from settings: limits.py) and missing required columns.
    """
    path = Path(path)
    limits = limits or read_limits.current()
    extension = path.suffix.lower()
    if extension not in EXTENSIONS:
        shown = extension or "（无扩展名）"
        raise SpreadsheetError(f"不支持的文件类型 {shown}，请使用 .xlsx、.xls 或 .csv 文件。")
    try:
        with open(path, "rb") as handle:
            magic = handle.read(8)
    except FileNotFoundError as error:
        raise SpreadsheetError(f"找不到文件：{path.name}") from error
    except OSError as error:
        raise SpreadsheetError(f"无法打开文件 {path.name}：{error.strerror or error}") from error
    if not magic:
        raise SpreadsheetError("文件是空的，没有任何内容。")

    if magic.startswith(_ZIP_MAGIC) or magic == _OLE_MAGIC:
        _check_limits(path, "xlsx" if magic.startswith(_ZIP_MAGIC) else "xls", limits)
        source, kind, sheet_name = _open_excel(path, magic, sheet)
        encoding = delimiter = None
        found = _find_header(source.head(HEADER_SCAN_ROWS), columns, sheet_name, source.merged_rows)
    elif extension == ".csv":
        _check_limits(path, "csv", limits)
        encoding, delimiter = _sniff_csv(path)
        try:
            source, found = _open_csv(path, encoding, delimiter, columns, limits)
        except SpreadsheetError as error:
            if encoding == "gb18030" and error.missing and (message := _foreign_encoding(path)):
                raise SpreadsheetError(message, missing=error.missing, seen=error.seen) from error
            raise
        kind, sheet_name, delimiter = "csv", None, source.delimiter
    else:
        raise SpreadsheetError(_not_excel_message(path, extension))

    return Sheet(
        path=path,
        format=kind,
        sheet_name=sheet_name,
        header_row=found.row + 1,
        header_height=found.height,
        header=found.header,
        columns=found.columns,
        unknown_columns=found.unknown,
        warnings=found.warnings,
        encoding=encoding,
        delimiter=delimiter,
        limits=limits,
        _source=source,
    )


def _check_limits(path: Path, kind: str, limits: ReadLimits) -> None:
    """The read limits checked before a reader allocates anything for the file (limits.py)."""
    try:
        read_limits.check_file_size(path, kind, limits)
        if kind == "xlsx":
            read_limits.check_xlsx(path, limits)
        elif kind == "xls":
            read_limits.check_xls(path, limits)
    except Refused as refused:
        raise SpreadsheetError(refused.message) from refused


def _open_csv(
    path: Path, encoding: str, sniffed: str, columns: Sequence[Column], limits: ReadLimits
) -> tuple[_CsvSource, _Header]:
    """The CSV file read with the delimiter sniffed, and its header; when no header is found that way,
    with the first other delimiter that finds one (else the first error stands). The Sniffer guesses from
    characters and quotes: tabs typed inside header cells ("姓<Tab>名", not quoted in a comma-separated
    file) or a quoted cell over two lines can mislead it, and the columns the file must have decide."""
    error = None
    for delimiter in (sniffed, *(d for d in DELIMITERS if d != sniffed)):
        source = _CsvSource(path, encoding, delimiter, limits)
        try:
            return source, _find_header(source.head(HEADER_SCAN_ROWS), columns, None)
        except SpreadsheetError as failed:
            error = error or failed
    raise error


def _open_excel(path: Path, magic: bytes, sheet: str | None) -> tuple[_ExcelSource, str, str]:
    kind = "xlsx" if magic.startswith(_ZIP_MAGIC) else "xls"
    try:
        with open(path, "rb") as handle:
            workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
    except python_calamine.PasswordError as error:
        raise SpreadsheetError("文件设置了打开密码，请取消密码后再导入。") from error
    except Exception as error:  # calamine raises several error types for files that are not workbooks
        raise SpreadsheetError(_broken_excel_message(path, kind)) from error
    with workbook:
        names = workbook.sheet_names
        if sheet is not None:
            matches = [name for name in names if name == sheet] or [
                name for name in names if fold(name) == fold(sheet)
            ]
            if not matches:
                raise SpreadsheetError(f"文件中没有名为「{sheet}」的工作表，现有工作表：{'、'.join(names)}。")
            name = matches[0]
        else:
            visible = [
                meta.name
                for meta in workbook.sheets_metadata
                if meta.visible == python_calamine.SheetVisibleEnum.Visible
                and meta.typ == python_calamine.SheetTypeEnum.WorkSheet
            ]
            if not (visible or names):
                raise SpreadsheetError("文件中没有工作表。")
            name = (visible or names)[0]
        try:
            data = workbook.get_sheet_by_name(name)
        except Exception as error:
            raise SpreadsheetError(f"无法读取工作表「{name}」，文件可能已损坏。") from error
    return _ExcelSource(data), kind, name


def _broken_excel_message(path: Path, kind: str) -> str:
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            names = []
        if any(name.startswith("word/") for name in names):
            return "这是一个 Word 文档（只是改了扩展名），请上传 Excel 表格（.xlsx、.xls）或 CSV 文件。"
        if any(name.startswith("ppt/") for name in names):
            return "这是一个 PowerPoint 演示文稿，请上传 Excel 表格（.xlsx、.xls）或 CSV 文件。"
        if any(name == "content.xml" for name in names):
            return "这是 WPS/OpenOffice 的 ODF 格式文件，请用 Excel 或 WPS 另存为 .xlsx 后再导入。"
    return (
        "文件不是有效的 Excel 表格，可能已损坏或是其他类型的文件改了扩展名。"
        "请用 Excel 打开确认后另存为 .xlsx 再导入。"
    )


def _not_excel_message(path: Path, extension: str) -> str:
    with open(path, "rb") as handle:
        start = handle.read(4096)
    text = start.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")) or b"<table" in text:
        return (
            f"这个文件实际上是网页（HTML/XML）格式，只是扩展名为 {extension}。"
            "请用 Excel 打开后“另存为” .xlsx 文件再导入。"
        )
    try:
        _detect_encoding(start, complete=len(start) < 4096)
    except SpreadsheetError:
        pass
    else:
        return f"这个文件实际上是纯文本（可能是 CSV），只是扩展名为 {extension}。请把扩展名改为 .csv 再导入。"
    return f"文件不是有效的 Excel 表格（扩展名为 {extension}，但内容不是），可能是其他类型的文件改了扩展名。"


_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f\x7f]")


def _detect_encoding(sample: bytes, *, complete: bool) -> str:
    """The encoding of a text file from its first bytes; SpreadsheetError if it is not text."""
    if sample.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]  # Excel's "Unicode text" export
    else:
        candidates = ["utf-8", "gb18030"]  # GB18030 is a superset of GBK and GB2312
    for encoding in candidates:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        # Binary data decodes now and then, but is full of control characters; text has (almost) none.
        if "\x00" in text or len(_CONTROL_CHARACTERS.findall(text)) * 100 > len(text):
            break
        return encoding
    else:
        raise SpreadsheetError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件后再导入。")
    raise SpreadsheetError("文件不是文本格式的 CSV（含有二进制内容），请上传 .xlsx、.xls 或 .csv 文件。")


def _foreign_encoding(path: Path) -> str | None:
    """Why a GB18030 file whose header was not found may be in another encoding: Big5 (traditional
    Chinese) decodes as GB18030 too, into a garbled header. Simplified Chinese keeps almost all its
    characters in GB2312; Big5 read as GB18030 scatters over the rest of GBK (a Big5 character's second
    byte is below 0xA1 four times in ten). The message, or None when the file does not look like Big5."""
    with open(path, "rb") as handle:
        sample = handle.read(CSV_SAMPLE_BYTES)
    try:
        sample.decode("big5")
    except UnicodeDecodeError:
        cut = sample[: max(len(sample) - 1, 0)]
        try:  # the sample may end inside a character
            cut.decode("big5")
        except UnicodeDecodeError:
            return None
    text = sample.decode("gb18030", "replace")
    double = [ch for ch in text if ord(ch) > 0x7F and len(ch.encode("gb18030")) == 2]
    outside = sum(1 for ch in double if not _in_gb2312(ch))
    if len(double) < 4 or outside * 5 <= len(double):
        return None
    return (
        "文件的编码不受支持：看起来是繁体中文 Big5 编码。本平台读取 UTF-8 和 GBK/GB18030 编码的 CSV 文件，"
        "请用 Excel 或记事本打开后另存为“UTF-8”编码的 CSV 文件再导入。"
    )


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _sniff_csv(path: Path) -> tuple[str, str]:
    """Detect a CSV file's encoding and delimiter from its first megabyte."""
    with open(path, "rb") as handle:
        sample = handle.read(CSV_SAMPLE_BYTES)
        complete = not handle.read(1)
    encoding = _detect_encoding(sample, complete=complete)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(sample, final=complete)
    if not text.strip():
        raise SpreadsheetError("文件是空的，没有任何内容。")
    return encoding, _sniff_delimiter(text)


def _sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    lines = [line for line in sample.splitlines() if line.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines.pop()  # probably cut in the middle
    lines = lines[:200]
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter and delimiter in DELIMITERS:
        return delimiter
    # Title rows without delimiters defeat the Sniffer: take the delimiter found on most lines.
    best, best_score = ",", (0, 0)
    for candidate in DELIMITERS:
        counts = [line.count(candidate) for line in lines]
        score = (sum(1 for count in counts if count), max(counts, default=0))
        if score > best_score:
            best, best_score = candidate, score
    return best


# --------------------------------------------------------------------------------------------------
# Header finding


@dataclass
class _Header:
    row: int
    height: int
    header: list[str]
    columns: dict[str, int]
    unknown: list[str]
    warnings: list[str]


def _labels(
    grid: list[list[str]], row: int, height: int, merged_rows: frozenset[int]
) -> list[tuple[str, tuple[str, ...]]]:
    """Per column: the header text to show, and the texts to try against the known column names."""
    if height == 1:
        return [(text, (text,) if text else ()) for text in grid[row]]
    labels = []
    group = ""
    for top, low in zip(grid[row], grid[row + 1], strict=True):
        # A group cell spanning several columns has its text only in its first column: where no merged
        # ranges tell how far it reaches (CSV), it reaches up to the next group cell.
        group = top or ("" if row in merged_rows else group)
        if low:
            labels.append((low, (low, group + low) if group else (low,)))
        else:
            labels.append((group, (group,) if group else ()))
    return labels


def _find_header(
    head: list[list[object]],
    columns: Sequence[Column],
    sheet_name: str | None,
    merged_rows: frozenset[int] = frozenset(),
) -> _Header:
    where = f"工作表「{sheet_name}」" if sheet_name else "文件"
    width = max((len(row) for row in head), default=0)
    grid = [[as_text(value).strip() for value in row] + [""] * (width - len(row)) for row in head]
    if not any(any(row) for row in grid):
        raise SpreadsheetError(f"{where}是空的，没有任何内容。")

    lookup: dict[str, str] = {}
    for column in columns:
        for text in (column.name, *column.aliases):
            lookup.setdefault(fold(text), column.name)
    required = [column.name for column in columns if column.required]
    folded: dict[str, str] = {}

    def canonical(text: str) -> str | None:
        key = folded.get(text)
        if key is None:
            key = folded[text] = fold(text)
        return lookup.get(key)

    best: tuple[tuple[int, ...], int, int, list[tuple[str, str | None]]] | None = None
    for height in (1, 2):
        for row in range(len(grid) - height + 1):
            if not any(grid[row]):
                continue
            mapped = [
                (shown, next((name for text in tries if (name := canonical(text))), None))
                for shown, tries in _labels(grid, row, height, merged_rows)
            ]
            names = {name for _shown, name in mapped if name}
            if not names:
                continue
            key = (all(name in names for name in required), len(names), -height, -row)
            if best is None or key > best[0]:
                best = (key, row, height, mapped)

    if best is None:
        fullest = max(range(len(grid)), key=lambda r: (sum(1 for text in grid[r] if text), -r))
        seen = [text for text in grid[fullest] if text]
        wanted = required or [column.name for column in columns]
        raise SpreadsheetError(
            f"{where}前{HEADER_SCAN_ROWS}行中找不到表头：没有一行包含所需的列（{'、'.join(wanted)}）。"
            f"文件中看到的内容：{'、'.join(seen[:30])}。请检查是否选错了文件或工作表。",
            missing=wanted,
            seen=seen,
        )

    _key, row, height, mapped = best
    found: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    unknown: list[str] = []
    for index, (shown, name) in enumerate(mapped):
        if name is None:
            if shown:
                unknown.append(shown)
        elif name in found:
            duplicates.setdefault(name, [found[name]]).append(index)
        else:
            found[name] = index
    seen = [shown for shown, _name in mapped if shown]
    rows_text = f"第{row + 1}行" if height == 1 else f"第{row + 1}–{row + 2}行"
    missing = [name for name in required if name not in found]
    if missing:
        raise SpreadsheetError(
            f"缺少必填列：{'、'.join(missing)}。{where}的表头（{rows_text}）中的列：{'、'.join(seen)}。"
            "请检查列名是否正确。",
            missing=missing,
            seen=seen,
        )
    if duplicates:
        parts = [
            f"「{name}」（{'、'.join(_column_letter(i) + '列' for i in indexes)}）"
            for name, indexes in duplicates.items()
        ]
        message = f"表头（{rows_text}）中有重复的列：{'、'.join(parts)}，请只保留一列。"
        raise SpreadsheetError(message, seen=seen)
    warnings = []
    if unknown:
        warnings.append(f"以下列无法识别，已忽略：{'、'.join(unknown)}。")
    header = [shown for shown, _name in mapped]
    return _Header(row, height, header, found, unknown, warnings)
