"""What reading one uploaded file may cost, checked before a reader allocates anything for it.

python-calamine builds a sheet as one dense grid from its first used cell to its last: a 1.6 KB .xlsx
with one cell at XFD1048576 asks for 17 billion cells (512 GB) and the process is killed; an .xls
cell record may name column 65,535. A zip member may inflate a thousand times, and its sizes in the
central directory are the packer's word. So before calamine sees a file, these checks bound it:

- every file: its size on disk;
- .xlsx: the zip's members (count, declared sizes, compression ratio), then every member inflated
  here, as the reader will inflate it, counting what comes out (a member that inflates beyond its
  declared size is refused there and then); every worksheet's extent (the box from A1 to its farthest
  cell) and merged ranges, read from the inflated XML as it streams past;
- .xls: the workbook stream's cell records (row, column) and the box they span;
- .csv: file size here; rows, columns and cell length as the rows are read (spreadsheet.py, frames.py).

The numbers are load limits an operator sets for the machine (settings BANGFU_READ_*), not rules of
any policy; the defaults admit a county's registry as .xlsx and a province's as .csv.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from xml.parsers import expat

MB = 1 << 20


@dataclass(frozen=True)
class ReadLimits:
    """Load limits for reading one file (see the module docstring); settings BANGFU_READ_* set them."""

    spreadsheet_mb: int = 256
    """An .xlsx or .xls file on disk."""
    csv_mb: int = 2048
    """A .csv file on disk (large files are read column-wise by polars)."""
    inflated_mb: int = 1024
    """Everything inside an .xlsx once inflated: about 850,000 registry rows as xlsxwriter writes them (a
    million are 1.2 GB of XML, 2.3 GB in the reader); larger files come as CSV, read column-wise."""
    compression_ratio: int = 100
    """How many times a member of an .xlsx may inflate (spreadsheets inflate 5–20 times; bombs 1,000)."""
    rows: int = 10_000_000
    """Rows of one sheet or CSV file (Excel stops at 1,048,576)."""
    columns: int = 1_000
    """Columns of one sheet or CSV file (a registry has 35)."""
    cells: int = 40_000_000
    """The box a worksheet spans, rows × columns, from A1 to its farthest cell with content: the reader
    holds it as one grid of 32 bytes a cell (40 million: 1.3 GB)."""
    cell_chars: int = 32_767
    """Characters in one cell (Excel's own limit)."""
    merged_ranges: int = 2_000_000
    """Merged ranges of one worksheet (one per household and merged column in a county's sheet)."""
    zip_members: int = 10_000

    @classmethod
    def of(cls, values: dict[str, int] | None) -> ReadLimits:
        known = {f.name for f in fields(cls)}
        return replace(cls(), **{k: int(v) for k, v in (values or {}).items() if k in known and v})


_current: ReadLimits | None = None


def configure(limits: ReadLimits | None) -> None:
    """Set the limits every reader uses (core.apps does, from settings); None restores the defaults."""
    global _current
    _current = limits


def current() -> ReadLimits:
    return _current or ReadLimits()


class Refused(ValueError):
    """The file is not read: `message` (Chinese) says why; open_sheet raises it as a SpreadsheetError."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _mb(size: int) -> str:
    if size < MB:
        return f"{max(size, 1) / 1024:,.0f} KB" if size >= 1024 else f"{size} 字节"
    return f"{size / MB:,.1f} MB" if size < 10 * MB else f"{size / MB:,.0f} MB"


def check_file_size(path: Path, kind: str, limits: ReadLimits) -> None:
    size = path.stat().st_size
    limit = (limits.csv_mb if kind == "csv" else limits.spreadsheet_mb) * MB
    if size > limit:
        advice = (
            "请按区域拆分成几个文件分别导入。"
            if kind == "csv"
            else "请另存为 CSV 文件，或按区域拆分后再导入。"
        )
        raise Refused(f"文件有 {_mb(size)}，超过了可读取的上限（{_mb(limit)}）。{advice}")


def column_letter(index: int) -> str:
    """0-based column index → Excel letters."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Extent:
    """The box of a worksheet's cells with content, 0-based and inclusive (None: no such cell)."""

    top: int | None = None
    left: int | None = None
    bottom: int = -1
    right: int = -1
    count: int = 0

    def add(self, row: int, column: int) -> None:
        self.count += 1
        if self.top is None or row < self.top:
            self.top = row
        if self.left is None or column < self.left:
            self.left = column
        if row > self.bottom:
            self.bottom = row
        if column > self.right:
            self.right = column

    @property
    def height(self) -> int:
        return 0 if self.top is None else self.bottom - self.top + 1

    @property
    def width(self) -> int:
        return 0 if self.left is None else self.right - self.left + 1

    def span(self) -> str:
        if self.top is None or self.left is None:
            return ""
        return f"{column_letter(self.left)}{self.top + 1}:{column_letter(self.right)}{self.bottom + 1}"


def check_extent(extent: Extent, where: str, limits: ReadLimits) -> None:
    """Refuse a sheet whose box of cells exceeds the limits, naming its farthest cell."""
    height, width = extent.height, extent.width
    if height <= limits.rows and width <= limits.columns and height * width <= limits.cells:
        return
    if width > limits.columns:
        what = f"{width:,} 列，超过了可读取的上限（{limits.columns:,} 列）"
    elif height > limits.rows:
        what = f"{height:,} 行，超过了可读取的上限（{limits.rows:,} 行）"
    else:
        what = (
            f"{height:,} 行 × {width:,} 列 = {height * width:,} 个单元格，"
            f"超过了可读取的上限（{limits.cells:,} 个单元格）"
        )
    raise Refused(
        f"{where}的内容范围是 {extent.span()}，共 {what}。通常是表格远处有误填的内容："
        f"请在 Excel 中删除 {column_letter(extent.right)}{extent.bottom + 1} 等多余的行和列"
        "（或只把数据复制到新的工作表）后另存，再导入；数据确实这么多时请另存为 CSV 文件。"
    )


# --------------------------------------------------------------------------------------------------
# .xlsx


_RESAVE = "请用 Excel 打开确认后另存为 .xlsx 再导入。"
_BROKEN_XLSX = f"文件不是有效的 Excel 表格，可能已损坏。{_RESAVE}"


def check_xlsx(path: Path, limits: ReadLimits) -> None:
    """Refuse an .xlsx whose reading would exceed the limits (Refused), before calamine opens it.

    A file that is no zip at all passes: calamine says it is not a workbook, and open_sheet words that."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    with archive:
        members = archive.infolist()
        if len(members) > limits.zip_members:
            raise Refused(f"文件（zip 压缩包）中有 {len(members):,} 个部件，不像 Excel 表格。{_BROKEN_XLSX}")
        declared = sum(member.file_size for member in members)
        if declared > limits.inflated_mb * MB:
            raise Refused(_inflated_message(declared, limits))
        for member in members:
            if member.file_size > MB and member.file_size > limits.compression_ratio * max(
                member.compress_size, 1
            ):
                raise Refused(_ratio_message(member.file_size, member.compress_size, limits))
        if any(
            m.filename.lower() == "xl/workbook.bin"
            or (m.filename.lower().startswith("xl/worksheets/") and m.filename.lower().endswith(".bin"))
            for m in members
        ):
            # An .xlsb workbook: its binary sheets are not checked here, so they are not read at all.
            raise Refused("这是 Excel 二进制工作簿（.xlsb），请用 Excel 另存为 .xlsx 后再导入。")
        names = _sheet_names(archive)
    total = 0
    with open(path, "rb") as handle:
        for member in members:
            where = f"工作表「{names.get(member.filename.lower(), member.filename)}」"
            scan = _FastScan(limits, where) if _is_xml(member.filename) else None
            for chunk in _inflate(handle, member):
                total += len(chunk)
                if total > limits.inflated_mb * MB:
                    raise Refused(_inflated_message(total, limits))
                if scan is not None:
                    scan.feed(chunk)
            if scan is None or not scan.is_sheet:
                continue
            extent = scan.extent()
            if extent is None:  # not the usual form: read again, element by element
                position = handle.tell()
                extent = _exact_extent(_inflate(handle, member), limits, where)
                handle.seek(position)
            check_extent(extent, where, limits)


def _inflated_message(size: int, limits: ReadLimits) -> str:
    return (
        f"文件解压后有 {_mb(size)}，超过了可读取的上限（{_mb(limits.inflated_mb * MB)}）。"
        "请另存为 CSV 文件，或按区域拆分后再导入。"
    )


def _ratio_message(size: int, packed: int, limits: ReadLimits) -> str:
    return (
        f"文件中有一个部件从 {_mb(packed)} 解压成 {_mb(size)}（{size // max(packed, 1):,} 倍），"
        f"超过了可接受的压缩比（{limits.compression_ratio} 倍），不像正常的 Excel 表格，未读取。"
    )


def _is_xml(name: str) -> bool:
    return name.lower().endswith(".xml")


def _inflate(handle, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes as they inflate from its compressed data (not trusting its declared size):
    Refused as soon as more comes out than declared, or when the data is not what the zip says."""
    handle.seek(member.header_offset)
    local = handle.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise Refused(_BROKEN_XLSX)
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    handle.seek(member.header_offset + 30 + name_length + extra_length)
    left, out = member.compress_size, 0
    if member.compress_type == zipfile.ZIP_STORED:
        if member.compress_size != member.file_size:
            raise Refused(_BROKEN_XLSX)
        while left:
            chunk = handle.read(min(left, 1 << 20))
            if not chunk:
                raise Refused(_BROKEN_XLSX)
            left -= len(chunk)
            yield chunk
        return
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise Refused(_BROKEN_XLSX)
    inflater = zlib.decompressobj(-15)
    while left and not inflater.eof:
        packed = handle.read(min(left, 1 << 16))
        if not packed:
            raise Refused(_BROKEN_XLSX)
        left -= len(packed)
        while packed and not inflater.eof:
            try:
                chunk = inflater.decompress(packed, 1 << 20)
            except zlib.error as error:
                raise Refused(_BROKEN_XLSX) from error
            packed = inflater.unconsumed_tail
            out += len(chunk)
            if out > member.file_size:
                raise Refused(
                    f"文件中的部件 {member.filename} 解压后比它声明的大小（{_mb(member.file_size)}）还大，"
                    "文件已损坏或被改动过，未读取。"
                )
            if chunk:
                yield chunk
    if out != member.file_size:
        raise Refused(_BROKEN_XLSX)


_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\b[^>]*>")
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b[^>]*>")


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (lower case) → sheet name, for messages; best effort (small parts only)."""

    def attributes(tag: bytes) -> dict[str, str]:
        found = {}
        for key, double, single in _ATTRIBUTE.findall(tag):
            found[key.decode().rpartition(":")[2]] = (double or single).decode("utf-8", "replace")
        return found

    def small(name: str) -> bytes:
        try:
            info = archive.getinfo(name)
        except KeyError:
            return b""
        return archive.read(info) if info.file_size < 4 * MB else b""

    try:
        targets = {}
        for tag in _RELATIONSHIP.findall(small("xl/_rels/workbook.xml.rels")):
            values = attributes(tag)
            target = values.get("Target", "").lstrip("/")
            targets[values.get("Id")] = target if target.startswith("xl/") else f"xl/{target}"
        names = {}
        for tag in _SHEET.findall(small("xl/workbook.xml")):
            values = attributes(tag)
            if (target := targets.get(values.get("id"))) and "name" in values:
                names[target.lower()] = values["name"]
        return names
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, zlib.error):
        return {}


# The usual form of a worksheet, as Excel, WPS, LibreOffice and xlsxwriter write it: a <dimension> claim
# before the cells, and every cell tag `<c r="REF"` with REF in upper-case letters and digits. Then a
# cell's place is its REF (calamine reads REF before counting rows or columns), and the sheet stays
# inside its claim when every REF is within it: one regex search over the bytes finds any cell tag that
# is not `<c r="REF"` with REF inside the claim (about 1.5 s per 100 MB of XML; a cell costs ~40 bytes).
_DIMENSION = re.compile(
    rb"""<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*["']([A-Za-z]*[0-9]*)(?::([A-Za-z]*[0-9]*))?["']"""
)
_MERGES = (
    b"mergeCell"  # counted as bytes: <mergeCells> and </mergeCells> count too, which is on the safe side
)
_PREFIXED = b":c"
_PREFIXED_CELL = re.compile(rb"<[^\s<>/!?:]+:c[\s>/]")
_REF = re.compile(r"([A-Za-z]*)([0-9]*)")
_CARRY = 8 * MB
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"


def _parse_ref(ref: str) -> tuple[int, int | None]:
    """calamine's reading of a cell reference: 0-based (row, column); column None for a row number."""
    match = _REF.fullmatch(ref.strip())
    if not match or not match.group(2) or int(match.group(2)) == 0:
        raise ValueError(ref)
    letters = match.group(1).upper()
    column = None
    if letters:
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        column -= 1
    return int(match.group(2)) - 1, column


def _at_most(text: str, alphabet: str) -> str:
    """A regex for the strings of `alphabet` (upper-case letters, or digits without a leading zero) that
    are at most `text` in Excel's order: shorter, or as long and not after it."""
    first = "1" if alphabet == _DIGITS else alphabet[0]
    options = [text]
    if len(text) > 1:
        options.append(f"[{first}-{alphabet[-1]}][{alphabet[0]}-{alphabet[-1]}]{{0,{len(text) - 2}}}")
    for index, char in enumerate(text):
        low = first if index == 0 else alphabet[0]
        if char > low:
            rest = len(text) - index - 1
            below = f"[{low}-{chr(ord(char) - 1)}]"
            options.append(f"{text[:index]}{below}[{alphabet[0]}-{alphabet[-1]}]{{{rest}}}")
    return "|".join(options)


class _FastScan:
    """Reads a worksheet as it inflates; extent() is its box when the sheet has the usual form and stays
    in its <dimension>, else None (then _exact_extent reads it element by element)."""

    def __init__(self, limits: ReadLimits, where: str) -> None:
        self.limits, self.where = limits, where
        self.is_sheet = False
        self.usual = True
        self.carry = b""
        self.claim: tuple[int, int] | None = None
        self.odd: re.Pattern | None = None
        self.merges = 0

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        cut = data.rfind(b">") + 1
        segment, self.carry = data[:cut], data[cut:]
        if len(self.carry) > _CARRY:  # no tag ends for megabytes: not the usual form
            self.usual, self.is_sheet, self.carry = False, True, self.carry[-64:]
        if not segment or not self.usual:
            self.is_sheet = self.is_sheet or b"sheetData" in segment
            return
        if not self.is_sheet and self.claim is None and (found := _DIMENSION.search(segment)):
            self._claim(found)
        if not self.is_sheet and b"sheetData" in segment:
            self.is_sheet = True
        self.merges += segment.count(_MERGES)
        if self.merges > self.limits.merged_ranges + 2:
            raise Refused(_merges_message(self.where, self.limits))
        if self.odd is None or self.odd.search(segment):
            self.usual = self.odd is None and not self.is_sheet  # cells before any claim: not usual
        elif _PREFIXED in segment and _PREFIXED_CELL.search(segment):
            self.usual = False

    def _claim(self, found: re.Match) -> None:
        try:
            row, column = _parse_ref((found.group(2) or found.group(1)).decode())
        except ValueError:
            return
        if column is None:
            return
        extent = Extent(0, 0, row, column)
        if extent.height > self.limits.rows or extent.width > self.limits.columns:
            return
        if extent.height * extent.width > self.limits.cells:
            return  # a claim too large may be stale: the exact reading decides
        self.claim = (row, column)
        columns = _at_most(column_letter(column), _LETTERS)
        rows = _at_most(str(row + 1), _DIGITS)
        # Any cell tag but <c r="REF"> with REF inside the claim (the tag names col, cols… pass by).
        self.odd = re.compile(
            rb'<c(?:[\t\r\n>/]| (?!r="(?:' + columns.encode() + rb")(?:" + rows.encode() + rb')"))'
        )

    def extent(self) -> Extent | None:
        if not self.usual or self.carry.strip():
            return None
        if self.claim is None:
            return None
        return Extent(0, 0, *self.claim)


def _exact_extent(chunks: Iterator[bytes], limits: ReadLimits, where: str) -> Extent:
    """The box of a worksheet's cells with content as calamine places them: a cell at its r, else after
    the previous cell of its row; a row at its r, else after the previous row. Read element by element
    (expat), refused as soon as the box or the number of cells exceeds the limits."""
    extent = Extent()
    state = {"row": 0, "column": 0, "cell": None, "data": False, "value": False, "merges": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if state["cell"] is not None:
            state["value"] = True
        elif local == "sheetData":
            state["data"] = True
        elif not state["data"]:
            if local == "mergeCell":
                state["merges"] += 1
                if state["merges"] > limits.merged_ranges:
                    raise Refused(_merges_message(where, limits))
        elif local == "row":
            if (ref := attributes.get("r")) is not None:
                state["row"] = _parse_ref(ref)[0]
        elif local == "c":
            if (ref := attributes.get("r")) is not None:
                row, column = _parse_ref(ref)
                if column is None:
                    raise ValueError(ref)
                state["column"] = column
            else:
                row, column = state["row"], state["column"]
            state["cell"], state["value"] = (row, column), False

    def end(name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "c" and state["cell"] is not None:
            if state["value"]:
                extent.add(*state["cell"])
            state["cell"] = None
            state["column"] += 1
        elif state["cell"] is not None:
            return
        elif local == "row" and state["data"]:
            state["row"] += 1
            state["column"] = 0
        elif local == "sheetData":
            state["data"] = False

    def doctype(*_args) -> None:
        raise Refused(f"{where}含有文档类型声明（DOCTYPE），不是 Excel 写出的表格，未读取。")

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            check_extent(extent, where, limits)  # the box holds every cell: refused as soon as it is too big
        parser.Parse(b"", True)
    except Refused:
        raise
    except (expat.ExpatError, ValueError) as error:
        raise Refused(f"{where}的内容格式有误，文件可能已损坏。{_RESAVE}") from error
    return extent


def _merges_message(where: str, limits: ReadLimits) -> str:
    return (
        f"{where}中合并单元格超过 {limits.merged_ranges:,} 处，超过了可读取的上限。"
        "请取消合并单元格（或另存为 CSV 文件）后再导入。"
    )


# --------------------------------------------------------------------------------------------------
# .xls: a compound file (MS-CFB) whose Workbook stream is a sequence of BIFF records


_CELL_RECORDS = frozenset(
    {0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x0406, 0x0206, 0x0201, 0x00D6, 0x0001, 0x0002, 0x0003,
     0x0004, 0x0005, 0x0007}
)  # fmt: skip
_MULTI_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first column, …, last column
_BOF, _FILEPASS = 0x0809, 0x002F
_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
_BROKEN_XLS = "文件不是有效的 Excel 97-2003 表格（.xls），可能已损坏。请用 Excel 打开后另存为 .xlsx 再导入。"


def check_xls(path: Path, limits: ReadLimits) -> None:
    """Refuse an .xls whose sheets' cell records span more than the limits (Refused), before calamine
    opens it: calamine builds each sheet as a grid up to its farthest record, whose column may say
    65,535. A file that is no compound file passes (calamine words its own error)."""
    stream = _workbook_stream(path)
    if stream is None:
        return
    sheet, position, extent = 0, 0, None
    size = len(stream)
    while position + 4 <= size:
        kind, length = struct.unpack_from("<HH", stream, position)
        body = position + 4
        position = body + length
        if kind == _BOF:
            if extent is not None:
                check_extent(extent, f"第 {sheet - 1} 个工作表", limits)
            sheet += 1
            extent = Extent() if sheet > 1 else None  # the first substream is the workbook's globals
        elif kind == _FILEPASS:
            return  # encrypted: calamine refuses it with its own (password) error
        elif extent is not None and length >= 4 and (kind in _CELL_RECORDS or kind in _MULTI_RECORDS):
            row, column = struct.unpack_from("<HH", stream, body)
            extent.add(row, column)
            if kind in _MULTI_RECORDS and length >= 6:
                extent.add(row, struct.unpack_from("<H", stream, position - 2)[0])
    if extent is not None:
        check_extent(extent, f"第 {sheet - 1} 个工作表", limits)


def _workbook_stream(path: Path) -> bytes | None:
    """The Workbook (or BIFF5 Book) stream of a compound file; None when the file is not one."""
    data = path.read_bytes()
    if len(data) < 512 or data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None
    try:
        sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
        (directory_start,) = struct.unpack_from("<I", data, 0x30)
        cutoff, mini_fat_start = struct.unpack_from("<II", data, 0x38)
        difat_start, difat_count = struct.unpack_from("<II", data, 0x44)
        if sector_size not in (512, 4096) or mini_size != 64:
            raise Refused(_BROKEN_XLS)
        sectors = (len(data) - 512) // sector_size + 1
        per_sector = sector_size // 4

        def sector(number: int) -> bytes:
            if number >= sectors:
                raise Refused(_BROKEN_XLS)
            start = (number + 1) * sector_size
            return data[start : start + sector_size]

        fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < _END_OF_CHAIN]
        next_difat = difat_start
        for _ in range(min(difat_count, sectors)):
            if next_difat >= _END_OF_CHAIN:
                break
            entries = struct.unpack(f"<{per_sector}I", sector(next_difat))
            fat_sectors.extend(n for n in entries[:-1] if n < _END_OF_CHAIN)
            next_difat = entries[-1]
        fat = [n for s in fat_sectors for n in struct.unpack(f"<{per_sector}I", sector(s))]

        def chain(start: int, table: list[int], limit: int) -> list[int]:
            found = []
            while start < _END_OF_CHAIN:
                if start >= len(table) or len(found) > limit:
                    raise Refused(_BROKEN_XLS)
                found.append(start)
                start = table[start]
            return found

        directory = b"".join(sector(n) for n in chain(directory_start, fat, sectors))
        entries = {}
        for offset in range(0, len(directory) - 127, 128):
            entry = directory[offset : offset + 128]
            name_length, kind = struct.unpack_from("<HB", entry, 0x40)
            name = entry[: max(name_length - 2, 0)].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<II", entry, 0x74)
            entries.setdefault(name if kind != 5 else "\0root", (start, size))
        found = entries.get("Workbook") or entries.get("Book")
        if found is None:
            return None
        start, size = found
        if size > len(data):
            raise Refused(_BROKEN_XLS)
        if size >= cutoff:
            stream = b"".join(sector(n) for n in chain(start, fat, sectors))
            return stream[:size]
        root_start, root_size = entries.get("\0root", (_END_OF_CHAIN, 0))
        mini_stream = b"".join(sector(n) for n in chain(root_start, fat, sectors))[:root_size]
        mini_fat_data = b"".join(sector(n) for n in chain(mini_fat_start, fat, sectors))
        mini_fat = list(struct.unpack(f"<{len(mini_fat_data) // 4}I", mini_fat_data))
        parts = chain(start, mini_fat, len(mini_stream) // mini_size + 1)
        return b"".join(mini_stream[n * mini_size : (n + 1) * mini_size] for n in parts)[:size]
    except struct.error as error:
        raise Refused(_BROKEN_XLS) from error
