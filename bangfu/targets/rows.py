"""One row of a targets file (EXCHANGE §8: 年度, 区划代码, 指标, 目标值, 1月 … 12月) checked and turned into a
TargetRow, and the rules of a year's cumulative monthly targets. Plain Python, no Django: whether the area is
inside the importing area, and whether a split falls short of its parent, is the importer's question
(targets/importer.py), which asks `split_shortfall` here.

The figure names a file may use are the §8 figures' names, given by the caller (the stats app defines them):
this module never lists a figure itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import Column

YEAR, AREA, FIGURE, VALUE = "年度", "区划代码", "指标", "目标值"
MONTHS = tuple(f"{month}月" for month in range(1, 13))

COLUMNS = (
    Column(YEAR, required=True, aliases=("年份", "目标年度")),
    Column(AREA, required=True, aliases=("行政区划代码", "区域代码")),
    Column(FIGURE, required=True, aliases=("指标名称", "目标指标")),
    Column(VALUE, required=True, aliases=("年度目标", "全年目标", "目标任务")),
    *(Column(month, aliases=(f"{index:02d}月", f"{index}月累计")) for index, month in enumerate(MONTHS, 1)),
)
COLUMN_NAMES = [column.name for column in COLUMNS]
FIRST_YEAR, LAST_YEAR = 2014, 2099
VALUE_LIMIT = 100_000_000  # more people than any province has


@dataclass(frozen=True)
class TargetRow:
    year: int
    area_code: str  # 12 digits
    figure: str  # the figure's key
    value: int
    monthly: tuple[int | None, ...] = (None,) * 12  # cumulative 1月 … 12月; None where not given

    @property
    def key(self) -> tuple[int, str, str]:
        """What identifies a target: importing the same key again updates it."""
        return self.year, self.area_code, self.figure


def _fold(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "").replace(",", "").strip()


def _count(value: object, column: str, errors: list[CellError], *, required: bool) -> int | None:
    text = _fold(value)
    if not text:
        if required:
            errors.append(CellError(column, value, "必填"))
        return None
    if not (text.isascii() and text.isdigit()):
        errors.append(CellError(column, value, "应为不小于 0 的整数"))
        return None
    number = int(text)
    if number > VALUE_LIMIT:
        errors.append(CellError(column, value, f"不能大于 {VALUE_LIMIT}"))
        return None
    return number


def monthly_problems(value: int, monthly: Sequence[int | None]) -> list[tuple[str, str]]:
    """What is wrong with a year's cumulative monthly targets, as (column, reason): each given month at least
    the one before it, none above the year's target, and 12月, when given, equal to it."""
    problems = []
    last_month, last = None, 0
    for index, amount in enumerate(monthly):
        if amount is None:
            continue
        month = MONTHS[index]
        if amount < last:
            problems.append((month, f"月度目标为累计数，不能小于{last_month}的 {last}"))
        elif amount > value:
            problems.append((month, f"累计月度目标不能超过年度目标 {value}"))
        else:
            last_month, last = month, amount
    december = monthly[11] if len(monthly) == 12 else None
    if december is not None and december != value and not any(m == MONTHS[11] for m, _ in problems):
        problems.append((MONTHS[11], f"12月累计目标应等于年度目标 {value}"))
    return problems


def schedule(value: int, monthly: Sequence[int | None], month: int) -> int | None:
    """The cumulative target due by the end of `month` (1–12): the latest month given up to it; the year's
    target in December; None when no month up to it is given (no schedule to be behind)."""
    if month >= 12:
        return value
    for index in range(month - 1, -1, -1):
        if index < len(monthly) and monthly[index] is not None:
            return monthly[index]
    return None


def split_shortfall(parent_value: int, children: Mapping[str, int]) -> int:
    """How much the children's targets fall short of their parent's (0 when they cover it)."""
    return max(parent_value - sum(children.values()), 0)


def shortfall_message(parent_name: str, figure_name: str, year: int, parent_value: int, total: int) -> str:
    return (
        f"{year}年{parent_name}“{figure_name}”目标为 {parent_value}，下级目标合计 {total}，"
        f"还差 {parent_value - total}，分解不能少于上级目标"
    )


def clean_target_row(
    cells: Mapping[str, object], *, figures: Mapping[str, str]
) -> tuple[TargetRow | None, list[CellError]]:
    """`figures` maps each figure's name (§8) to its key."""
    errors: list[CellError] = []
    get = cells.get
    year = _count(get(YEAR), YEAR, errors, required=True)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append(CellError(YEAR, get(YEAR), f"应为 {FIRST_YEAR}–{LAST_YEAR} 之间的年份"))
    code = _fold(get(AREA))
    if not code:
        errors.append(CellError(AREA, get(AREA), "必填"))
    elif not (code.isascii() and code.isdigit() and len(code) in (2, 4, 6, 9, 12)):
        errors.append(CellError(AREA, get(AREA), "应为 2、4、6、9 或 12 位区划代码"))
    else:
        code = code.ljust(12, "0")
    name = _fold(get(FIGURE))
    figure = figures.get(name, "")
    if not name:
        errors.append(CellError(FIGURE, get(FIGURE), "必填"))
    elif not figure:
        errors.append(CellError(FIGURE, get(FIGURE), f"只能填写：{'、'.join(figures)}"))
    value = _count(get(VALUE), VALUE, errors, required=True)
    monthly = tuple(_count(get(month), month, errors, required=False) for month in MONTHS)
    if value is not None and not errors:
        for column, reason in monthly_problems(value, monthly):
            errors.append(CellError(column, get(column), reason))
    if errors:
        return None, errors
    return TargetRow(year, code, figure, value, monthly), []
