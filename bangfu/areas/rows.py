"""One row of a designations file (区域认定名单, the project's own format: docs/exchange.md) checked and
turned into a DesignationRow. Plain Python, no Django: whether the area exists in the importing area's
subtree and is of the kind's level is the importer's question (areas/importer.py).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bangfu.areas.kinds import NAMES, kind_of
from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import Column
from bangfu.registry.rows import parse_date

CODE, NAME, KIND, STARTS, ENDS, BASIS = "区划代码", "区划名称", "认定类别", "起始日期", "终止日期", "认定依据"

COLUMNS = (
    Column(CODE, required=True, aliases=("行政区划代码", "区域代码", "村（社区）代码", "统计用区划代码")),
    Column(NAME, aliases=("区域名称", "名称", "村（社区）名称")),
    Column(KIND, required=True, aliases=("认定类型", "类别")),
    Column(STARTS, required=True, aliases=("认定日期", "开始日期")),
    Column(ENDS, aliases=("退出日期", "结束日期", "摘帽日期")),
    Column(BASIS, aliases=("文号", "依据", "认定文号", "备注")),
)
COLUMN_NAMES = [column.name for column in COLUMNS]
KIND_VALUES = tuple(NAMES.values())
BASIS_LIMIT = 200
FIRST_DAY = dt.date(1980, 1, 1)


@dataclass(frozen=True)
class DesignationRow:
    code: str  # 12 digits
    name: str
    kind: str  # a kind's slug
    starts_on: dt.date
    ends_on: dt.date | None = None
    basis: str = ""

    @property
    def key(self) -> tuple[str, str, dt.date]:
        """What identifies a listing: importing the same key again updates its end and basis."""
        return self.code, self.kind, self.starts_on


def _fold(value: object) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "").strip()


def _code(value: object, errors: list[CellError]) -> str:
    text = _fold(value)
    if text.endswith(".0"):  # a number cell read as a float
        text = text[:-2]
    if not text:
        errors.append(CellError(CODE, value, "必填"))
    elif not (text.isascii() and text.isdigit()) or len(text) not in (6, 9, 12):
        errors.append(CellError(CODE, value, "应为 6 位（县）、9 位（乡镇）或 12 位（村、社区）区划代码"))
    else:
        return text.ljust(12, "0")
    return ""


def _day(value: object, column: str, errors: list[CellError], *, required: bool) -> dt.date | None:
    try:
        day = parse_date(value)
    except (ValueError, TypeError):
        errors.append(CellError(column, value, "不是有效日期，请写成 2026-05-31"))
        return None
    if day is None:
        if required:
            errors.append(CellError(column, value, "必填"))
        return None
    if day < FIRST_DAY:
        errors.append(CellError(column, value, f"不能早于 {FIRST_DAY:%Y-%m-%d}"))
        return None
    return day


def clean_designation_row(cells: Mapping[str, object]) -> tuple[DesignationRow | None, list[CellError]]:
    errors: list[CellError] = []
    get = cells.get
    code = _code(get(CODE), errors)
    name = _fold(get(NAME))
    kind = ""
    raw_kind = get(KIND)
    if not _fold(raw_kind):
        errors.append(CellError(KIND, raw_kind, "必填"))
    else:
        try:
            kind = kind_of(_fold(raw_kind))
        except ValueError:
            errors.append(CellError(KIND, raw_kind, f"只能填写：{'、'.join(KIND_VALUES)}"))
    starts_on = _day(get(STARTS), STARTS, errors, required=True)
    ends_on = _day(get(ENDS), ENDS, errors, required=False)
    if starts_on and ends_on and ends_on <= starts_on:
        errors.append(CellError(ENDS, get(ENDS), "应晚于起始日期（终止日期当天起不再具有此认定）"))
    raw_basis = get(BASIS)
    basis = "" if raw_basis is None else str(raw_basis).strip()
    if len(basis) > BASIS_LIMIT:
        errors.append(CellError(BASIS, raw_basis, f"不能超过 {BASIS_LIMIT} 个字"))
    if errors:
        return None, errors
    return DesignationRow(code, name, kind, starts_on, ends_on, basis), []
