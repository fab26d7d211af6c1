"""Hostile files, built byte by byte as an attacker (or a broken tool) would: each asks a reader for far
more memory or time than its size suggests. Shared by the engine's tests and the import and 数据比对
tests that upload them through the real pages and commands."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest
import python_calamine

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER = "".join(
    f'<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>'
    for letter, name in zip("ABCDE", ("户编号", "姓名", "证件号码", "与户主关系", "死亡日期"), strict=True)
)


def xlsx(path: Path, sheet_xml: str | bytes) -> Path:
    """A minimal workbook of one sheet (花名册) whose XML is `sheet_xml`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def far_cell_xlsx(path: Path, *, dimension: str | None = "A1:XFD1048576") -> Path:
    """The issue's file: a header row and one cell at XFD1048576 (python-calamine asks for 512 GB)."""
    claim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return xlsx(
        path,
        f'{SHEET_START}{claim}<sheetData><row r="1">{HEADER}</row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>',
    )


def rows_without_numbers_xlsx(path: Path) -> Path:
    """No cell or row says where it is: a million empty rows, then a row of 16,384 cells, all placed
    one after the other as calamine counts them (a grid of 17 billion cells again)."""
    rows = "<row/>" * 1_048_574
    wide = "<c><v>1</v></c>" * 16_384
    return xlsx(
        path, f"{SHEET_START}<sheetData><row>{HEADER}</row>{rows}<row>{wide}</row></sheetData></worksheet>"
    )


def zip_bomb_xlsx(path: Path, *, megabytes: int = 128) -> Path:
    """A sheet that inflates a thousand times: 128 MB of spaces inside the worksheet XML, its
    sizes and checksum declared truly."""
    body = (SHEET_START + f'<sheetData><row r="1">{HEADER}</row></sheetData>').encode()
    block, tail = b" " * (1 << 20), b"</worksheet>"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts, crc = [compressor.compress(body)], zlib.crc32(body)
    for _ in range(megabytes):
        parts.append(compressor.compress(block))
        crc = zlib.crc32(block, crc)
    parts += [compressor.compress(tail), compressor.flush()]
    size = len(body) + megabytes * len(block) + len(tail)
    xlsx(path, "")
    return _replace_member(
        path, "xl/worksheets/sheet1.xml", b"".join(parts), size=size, crc=zlib.crc32(tail, crc)
    )


def lying_sizes_xlsx(path: Path) -> Path:
    """A member whose zip headers declare 2 KB while its deflate stream holds 200 MB: the central
    directory's sizes are the packer's word; only inflating tells."""
    body = (SHEET_START + f'<sheetData><row r="1">{HEADER}</row></sheetData>').encode()
    real = body + b" " * (200 << 20) + b"</worksheet>"
    xlsx(path, "")
    packed = zlib.compress(real, 9)[2:-4]
    return _replace_member(path, "xl/worksheets/sheet1.xml", packed, size=2048, crc=zlib.crc32(real[:2048]))


def _replace_member(path: Path, name: str, deflated: bytes, *, size: int, crc: int) -> Path:
    """Write `path` again with member `name` holding `deflated` and claiming `size` and `crc`."""
    with zipfile.ZipFile(path) as archive:
        others = [(info, archive.read(info)) for info in archive.infolist() if info.filename != name]
    out = bytearray()
    central = bytearray()
    entries = [
        (info.filename, zlib.compress(data)[2:-4], len(data), zlib.crc32(data)) for info, data in others
    ]
    entries.append((name, deflated, size, crc))
    for filename, packed, length, checksum in entries:
        encoded = filename.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, checksum, len(packed), length, len(encoded), 0
        )
        out += encoded + packed
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, 8, 0, 0x21, checksum, len(packed), length, len(encoded),
            0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def far_column_xls(path: Path) -> Path:
    """An Excel 97-2003 file whose one number cell says column 65,535 (calamine: 137 GB)."""
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("花名册")
    for column, name in enumerate(("户编号", "姓名", "证件号码", "与户主关系", "死亡日期")):
        sheet.write(0, 0 + column, name)
    sheet.write(1, 1, 7.5)
    workbook.save(str(path))
    data = bytearray(path.read_bytes())
    record = struct.pack("<HHHH", 0x027E, 10, 1, 1)  # RK: row 1, column 1
    at = data.find(record)
    assert at > 0
    data[at + 4 : at + 8] = struct.pack("<HH", 65535, 65535)
    path.write_bytes(bytes(data))
    return path


def wide_row_csv(path: Path, columns: int = 20_000) -> Path:
    """A CSV whose header line has 20,000 columns."""
    path.write_text("户编号,姓名,证件号码,与户主关系," + ",".join(f"列{i}" for i in range(columns)) + "\n")
    return path


def unclosed_quote_csv(path: Path) -> Path:
    """A CSV whose second line opens a quote never closed: the rest (80,000 characters) is one cell."""
    rest = "甲,乙,丙,丁\n" * 10_000
    path.write_text(f'户编号,姓名,证件号码,与户主关系\n"H1,{rest}', encoding="utf-8")
    return path


@pytest.fixture
def calamine_forbidden(monkeypatch):
    """Fails the test if python-calamine opens a workbook: hostile files must be refused before."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("python-calamine opened a file the read limits should have refused")

    for name in ("from_filelike", "from_path", "from_object"):
        monkeypatch.setattr(python_calamine.CalamineWorkbook, name, refuse)
