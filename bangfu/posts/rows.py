"""One row of a posts file or a duty file (EXCHANGE §10) checked and turned into a PostRow or a DutyRow.
Plain Python, no Django: whether the area lies in the importing area, and whether the holder is a living
registry person, are the importer's questions (posts/importer.py), asked of all rows at once."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bangfu.core.idnumber import IdNumberError, parse_id_number
from bangfu.employment.rows import FIRST_DAY, NAME_LIMIT, fold
from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import Column
from bangfu.registry.rows import parse_date

NUMBER, AREA, KIND, TITLE = "岗位编号", "行政区划代码", "岗位类型", "岗位名称"
ID, NAME, STARTED, ENDED = "证件号码", "姓名", "上岗日期", "离岗日期"
MONTH, DAYS, DUE = "年月", "在岗天数", "应出勤天数"

POST_COLUMNS = (
    Column(NUMBER, required=True, aliases=("岗位代码", "岗位序号")),
    Column(AREA, required=True, aliases=("区划代码", "村（社区）代码", "岗位所在地代码")),
    Column(KIND, required=True, aliases=("岗位类别",)),
    Column(TITLE, required=True, aliases=("岗位", "岗位名")),
    Column(ID, aliases=("身份证号", "身份证号码", "公民身份号码")),
    Column(NAME, aliases=("在岗人员姓名",)),
    Column(STARTED, aliases=("上岗时间", "聘用日期")),
    Column(ENDED, aliases=("离岗时间", "解聘日期")),
)
DUTY_COLUMNS = (
    Column(ID, required=True, aliases=("身份证号", "身份证号码", "公民身份号码")),
    Column(NAME, required=True),
    Column(MONTH, required=True, aliases=("月份", "考勤月份")),
    Column(DAYS, required=True, aliases=("出勤天数", "实际出勤天数")),
    Column(DUE, required=True, aliases=("应出勤天数（天）", "当月应出勤天数")),
)
# EXCHANGE §10 岗位类型 (posts.models.PostType holds the same; a test says so).
KINDS = ("乡村公益性岗位", "就业帮扶公益性岗位", "其他")
NUMBER_LIMIT, TITLE_LIMIT = 40, 100
MONTH_FORM = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")


@dataclass(frozen=True)
class PostRow:
    row_number: int
    number: str
    area_code: str  # 12 digits
    kind: str
    title: str
    id_number: str = ""  # "" for a post without a holder in this row (a vacancy)
    name: str = ""
    started_on: dt.date | None = None
    ended_on: dt.date | None = None

    @property
    def spell_key(self) -> tuple[str, str, dt.date] | None:
        """What identifies a holder's spell: importing it again changes nothing."""
        return (self.number, self.id_number, self.started_on) if self.id_number else None


@dataclass(frozen=True)
class DutyRow:
    row_number: int
    id_number: str
    name: str
    month: str  # YYYY-MM
    days_on_duty: int
    days_due: int


def _text(value: object) -> str:
    return "" if value is None else unicodedata.normalize("NFKC", str(value)).strip()


def _date(value: object, column: str, today: dt.date, errors: list[CellError], *, required: bool):
    try:
        day = parse_date(value)
    except (ValueError, OverflowError):
        errors.append(CellError(column, value, "不是有效日期，请写成 2026-05-31"))
        return None
    if day is None:
        if required:
            errors.append(CellError(column, value, "必填"))
    elif day > today:
        errors.append(CellError(column, value, f"不能晚于今天（{today:%Y-%m-%d}）"))
        return None
    elif day < FIRST_DAY:
        errors.append(CellError(column, value, f"不能早于 {FIRST_DAY:%Y-%m-%d}"))
        return None
    return day


def _id(value, today, errors) -> str:
    try:
        return parse_id_number(value, today=today).value
    except IdNumberError as exc:
        errors.append(CellError(ID, value, exc.message))
        return ""


def _name(value, errors, *, required: bool) -> str:
    name = fold(value).replace("•", "·").replace("．", "·")
    if not name and required:
        errors.append(CellError(NAME, value, "必填"))
    elif len(name) > NAME_LIMIT:
        errors.append(CellError(NAME, value, f"不能超过 {NAME_LIMIT} 个字"))
    return name


def clean_post_row(
    cells: Mapping[str, object], *, today: dt.date, row_number: int = 0
) -> tuple[PostRow | None, list[CellError]]:
    errors: list[CellError] = []
    get = cells.get
    number = fold(get(NUMBER))
    if not number:
        errors.append(CellError(NUMBER, get(NUMBER), "必填"))
    elif len(number) > NUMBER_LIMIT:
        errors.append(CellError(NUMBER, get(NUMBER), f"不能超过 {NUMBER_LIMIT} 个字符"))
    code = fold(get(AREA))
    if code.endswith(".0"):
        code = code[:-2]
    if not code:
        errors.append(CellError(AREA, get(AREA), "必填"))
    elif not (code.isascii() and code.isdigit() and len(code) in (9, 12)):
        errors.append(CellError(AREA, get(AREA), "应为 9 位（乡镇）或 12 位（村、社区）区划代码"))
    kind = fold(get(KIND))
    if not kind:
        errors.append(CellError(KIND, get(KIND), "必填"))
    elif kind not in KINDS:
        errors.append(CellError(KIND, get(KIND), f"只能填写：{'、'.join(KINDS)}"))
    title = _text(get(TITLE))
    if not title:
        errors.append(CellError(TITLE, get(TITLE), "必填"))
    elif len(title) > TITLE_LIMIT:
        errors.append(CellError(TITLE, get(TITLE), f"不能超过 {TITLE_LIMIT} 个字"))
    holder = any(fold(get(column)) for column in (ID, NAME, STARTED, ENDED))
    id_number = name = ""
    started = ended = None
    if holder:  # a holder's spell: 证件号码, 姓名 and 上岗日期 together
        id_number = _id(get(ID), today, errors) if fold(get(ID)) else ""
        if not fold(get(ID)):
            errors.append(CellError(ID, get(ID), "填写了在岗人员信息时必填"))
        name = _name(get(NAME), errors, required=True)
        started = _date(get(STARTED), STARTED, today, errors, required=True)
        ended = _date(get(ENDED), ENDED, today, errors, required=False)
        if started and ended and ended < started:
            errors.append(CellError(ENDED, get(ENDED), f"不能早于上岗日期（{started:%Y-%m-%d}）"))
    if errors:
        return None, errors
    return PostRow(row_number, number, code.ljust(12, "0"), kind, title, id_number, name, started, ended), []


def clean_month(value: object) -> str:
    """A month as YYYY-MM from 2026-05, 2026/5, 2026年5月 or a date cell; ValueError (Chinese) otherwise."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = fold(value)
    found = MONTH_FORM.match(text)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValueError("应为年月，如 2026-05")
    return f"{int(found.group(1)):04d}-{int(found.group(2)):02d}"


def month_days(month: str) -> int:
    year, number = (int(part) for part in month.split("-"))
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def _days(value, column, errors) -> int | None:
    text = fold(value).removesuffix("天")
    if not text:
        errors.append(CellError(column, value, "必填"))
        return None
    if not (text.isascii() and text.isdigit()):
        errors.append(CellError(column, value, "应为整数（天）"))
        return None
    return int(text)


def clean_duty_row(
    cells: Mapping[str, object], *, today: dt.date, row_number: int = 0
) -> tuple[DutyRow | None, list[CellError]]:
    errors: list[CellError] = []
    get = cells.get
    id_number = _id(get(ID), today, errors)
    name = _name(get(NAME), errors, required=True)
    month = ""
    try:
        month = clean_month(get(MONTH))
    except ValueError as exc:
        errors.append(CellError(MONTH, get(MONTH), str(exc)))
    else:
        if month > f"{today.year:04d}-{today.month:02d}":
            errors.append(CellError(MONTH, get(MONTH), "不能晚于本月"))
            month = ""
    days = _days(get(DAYS), DAYS, errors)
    due = _days(get(DUE), DUE, errors)
    if month and due is not None and not 1 <= due <= month_days(month):
        errors.append(CellError(DUE, get(DUE), f"应在 1 到 {month_days(month)} 天之间"))
    elif days is not None and due is not None and days > due:
        errors.append(CellError(DAYS, get(DAYS), f"不能多于应出勤天数（{due} 天）"))
    if errors:
        return None, errors
    return DutyRow(row_number, id_number, name, month, days, due), []
