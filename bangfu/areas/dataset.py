"""The shipped 统计用区划代码 (statistical division codes), read with the standard library only.

No Django here: this module only reads ``data/divisions_<year>.tsv.xz`` and ``data/code_changes.tsv``
(built by ``tools/build_areas.py``, see ``data/SOURCE.md``).

Codes handed out are always padded to 12 digits ("430000000000"); natural-length codes (2, 4, 6, 9 or
12 digits: province, city, county, township, village) are accepted as input and padded by `pad_code`.
The parent of a division is the longest proper prefix of length 2, 4, 6 or 9 that exists, so the
townships of cities without counties (东莞 4419, 中山 4420, 儋州 4604) hang directly under the city:
441900003 东城街道 → 4419 东莞市.
"""

from __future__ import annotations

import lzma
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEVEL_DIGITS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}  # province, city, county, township, village
DATASET_YEAR = 2023

DATA_DIR = Path(__file__).resolve().parent / "data"
DIVISIONS_FILE = DATA_DIR / f"divisions_{DATASET_YEAR}.tsv.xz"
CODE_CHANGES_FILE = DATA_DIR / "code_changes.tsv"

_DIGITS_LEVEL = {digits: level for level, digits in LEVEL_DIGITS.items()}
_ZEROS = "0" * 12


@dataclass(frozen=True, slots=True)
class Division:
    code: str  # 12 digits, e.g. "433124000000"
    name: str
    level: int  # 1 province … 5 village
    parent_code: str | None  # the parent's 12-digit code, None for a province


@dataclass(frozen=True, slots=True)
class CodeChange:
    old_code: str  # 12 digits, no longer in the dataset
    new_code: str  # 12 digits, a current code of the same level
    last_year: int  # the last statistical year in which the old code was seen
    note: str


def pad_code(code: str) -> str:
    """A natural-length code ("4331") as its 12-digit form ("433100000000"); 12-digit codes pass through."""
    if not isinstance(code, str) or not code.isascii() or not code.isdigit():
        raise ValueError(f"区划代码“{code}”格式不正确：只能由数字组成。")
    if len(code) not in _DIGITS_LEVEL:
        raise ValueError(f"区划代码“{code}”长度不正确：应为 2、4、6、9 或 12 位数字，实为 {len(code)} 位。")
    return code + _ZEROS[len(code) :]


def _open() -> Iterator[str]:
    """The data lines (``code\\tname``), header left out: first the provinces, then the rest by code."""
    with lzma.open(DIVISIONS_FILE, "rt", encoding="utf-8", newline="\n") as fh:
        for line in fh:
            if not line.startswith("#"):
                yield line


@cache
def _provinces() -> tuple[Division, ...]:
    found = []
    lines = _open()
    try:
        for line in lines:
            code, _, name = line.rstrip("\n").partition("\t")
            if len(code) != 2:
                break
            found.append(Division(code + _ZEROS[2:], name, 1, None))
    finally:
        lines.close()
    return tuple(found)


def provinces() -> list[Division]:
    """The 31 provinces, read without decompressing the rest of the data."""
    return list(_provinces())


def _province_prefix(province: str) -> str:
    """The 2-digit code of a province given by its 2- or 12-digit code; ValueError if there is none."""
    if not isinstance(province, str) or not province.isascii() or not province.isdigit():
        raise ValueError(f"省级区划代码“{province}”格式不正确：应为 2 位或 12 位数字。")
    if len(province) not in (2, 12) or province[2:].strip("0"):
        raise ValueError(f"“{province}”不是省级区划代码：应为 2 位数字，或后 10 位全为 0 的 12 位数字。")
    prefix = province[:2]
    if not any(p.code.startswith(prefix) for p in _provinces()):
        raise ValueError(f"{DATASET_YEAR} 年统计用区划代码中没有代码为“{prefix}”的省级区划。")
    return prefix


def iter_divisions(province: str | None = None) -> Iterator[Division]:
    """Every division in code order (so parents come before their children), or those of one province.

    `province` is a 2-digit province code ("43") or the 12-digit code of a province ("430000000000");
    an unknown or malformed one raises ValueError at once (before iterating).
    """
    prefix = None if province is None else _province_prefix(province)
    return _iter(prefix)


def _iter(prefix: str | None) -> Iterator[Division]:
    pending = [p for p in _provinces() if prefix is None or p.code.startswith(prefix)]
    pending.reverse()  # pop() from the end: smallest code first
    counties: set[str] = set()  # natural codes seen, to tell a township's parent county from its city
    township = county = city = ""  # natural code of the last one seen at each level …
    township_code = county_code = city_code = ""  # … and its 12-digit code, shared by the children
    lines = _open()
    try:
        for line in lines:
            if prefix is not None and not line.startswith(prefix):  # cheap skip of other provinces
                if line[2] != "\t" and line[: len(prefix)] > prefix:  # a province line ("43\t…") is not data
                    break
                continue
            code, _, name = line.rstrip("\n").partition("\t")
            digits = len(code)
            if digits == 2:
                continue  # the provinces come first; they are yielded from `pending` in order
            while pending and pending[-1].code[:2] <= code[:2]:
                yield pending.pop()
            if digits == 12:
                if code[:9] != township:
                    township, township_code = code[:9], code[:9] + "000"
                yield Division(code, name, 5, township_code)
            elif digits == 9:
                padded = code + "000"
                if code[:6] in counties:
                    if code[:6] != county:
                        county, county_code = code[:6], code[:6] + "000000"
                    yield Division(padded, name, 4, county_code)
                else:
                    if code[:4] != city:
                        city, city_code = code[:4], code[:4] + "00000000"
                    yield Division(padded, name, 4, city_code)
                township, township_code = code, padded
            elif digits == 6:
                counties.add(code)
                padded = code + "000000"
                if code[:4] != city:
                    city, city_code = code[:4], code[:4] + "00000000"
                yield Division(padded, name, 3, city_code)
                county, county_code = code, padded
            elif digits == 4:
                padded = code + "00000000"
                yield Division(padded, name, 2, code[:2] + "0000000000")
                city, city_code = code, padded
            else:
                raise ValueError(f"区划数据文件 {DIVISIONS_FILE.name} 损坏：代码“{code}”长度不正确。")
    finally:
        lines.close()
    while pending:
        yield pending.pop()


def iter_code_changes() -> Iterator[CodeChange]:
    """Old codes still found in real data, each with the current code of the same unit (12-digit codes)."""
    with CODE_CHANGES_FILE.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("old_code\t"):
                continue
            old_code, new_code, last_year, note = line.split("\t")
            yield CodeChange(pad_code(old_code), pad_code(new_code), int(last_year), note)
