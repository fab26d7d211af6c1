"""One row of an employer's workforce file, or one entry of the portal's forms, checked (plain Python, no
Django): 用工人员 (hires and departures) and 月工资参保 (a month's wage and insurance). The forms and the file
import use the same checks, so a value is taken or refused alike, with the same Chinese reason.

Nothing here knows the registry: the checks are the same for everyone an employer reports.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bangfu.core.idnumber import IdNumber, IdNumberError, parse_id_number
from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import Column, as_text
from bangfu.registry.rows import parse_date

ID, NAME, STARTED, JOB, WAGE, WORK_AREA = "证件号码", "姓名", "入职日期", "岗位", "月工资", "工作地区划代码"
ENDED, REASON = "离职日期", "离职原因"
MONTH, INSURED = "年月", "是否参保"

HIRE_COLUMNS = (
    Column(ID, required=True, aliases=("身份证号码", "身份证号")),
    Column(NAME, required=True),
    Column(STARTED, required=True),
    Column(JOB, aliases=("工种", "岗位/工种", "岗位（工种）")),
    Column(WAGE, aliases=("月工资(元)",)),
    Column(WORK_AREA, aliases=("工作地点区划代码",)),
    Column(ENDED),
    Column(REASON),
)
WAGE_COLUMNS = (
    Column(ID, required=True, aliases=("身份证号码", "身份证号")),
    Column(NAME, required=True),
    Column(MONTH, required=True, aliases=("月份", "工资月份")),
    Column(WAGE, required=True, aliases=("月工资(元)", "应发工资", "实发工资")),
    Column(INSURED, required=True, aliases=("单位是否参保", "是否由单位参保")),
)
END_REASONS = ("合同到期", "解除劳动关系", "返乡", "转岗", "其他")  # EXCHANGE §5 离职原因
YES_NO = {"是": True, "否": False}
MAX_WAGE = 1_000_000
NAME_OK = re.compile(r"^[\u3400-\u9fff\U00020000-\U0003134fA-Za-z·]+$")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?$|^(\d{4})(\d{2})$")


@dataclass(frozen=True)
class HireRow:
    id_number: str
    name: str
    started_on: dt.date
    job_title: str = ""
    monthly_wage: int | None = None
    work_area_code: str = ""  # 6, 9 or 12 digits as given, padded to 12; the caller checks it is an area
    ended_on: dt.date | None = None
    end_reason: str = ""

    @property
    def key(self) -> tuple[str, dt.date]:
        return self.id_number, self.started_on


@dataclass(frozen=True)
class WageRow:
    id_number: str
    name: str
    month: dt.date  # the first day of the month
    wage: int
    insured: bool

    @property
    def key(self) -> tuple[str, dt.date]:
        return self.id_number, self.month


def clean_name(value: object) -> str:
    """A name as the registry keeps it: NFKC, the middle dot of minority names unified, no spaces."""
    return (
        unicodedata.normalize("NFKC", as_text(value).strip())
        .replace("•", "·")
        .replace("．", "·")
        .replace("・", "·")
        .replace(" ", "")
    )


def check_id(value: object, errors: list[CellError], *, today: dt.date) -> IdNumber | None:
    try:
        return parse_id_number(value, today=today)
    except IdNumberError as exc:
        errors.append(CellError(ID, value, exc.message))
        return None


def check_name(value: object, errors: list[CellError]) -> str:
    name = clean_name(value)
    if not name:
        errors.append(CellError(NAME, value, "必填"))
    elif len(name) > 50 or not NAME_OK.match(name):
        errors.append(CellError(NAME, value, "姓名只能由汉字、字母和间隔号“·”组成"))
    return name


def check_day(value: object, column: str, errors: list[CellError], *, today: dt.date, required: bool):
    try:
        day = parse_date(value)
    except (ValueError, TypeError):
        errors.append(CellError(column, value, "不是有效的日期（写成如 2026-03-01）"))
        return None
    if day is None:
        if required:
            errors.append(CellError(column, value, "必填"))
        return None
    if day > today:
        errors.append(CellError(column, value, "不能晚于今天"))
        return None
    if day.year < 1950:
        errors.append(CellError(column, value, "日期过早"))
        return None
    return day


def check_wage(value: object, errors: list[CellError], *, required: bool) -> int | None:
    raw = as_text(value).strip().replace(",", "").replace(" ", "")
    if raw.endswith("元"):
        raw = raw[:-1]
    if not raw:
        if required:
            errors.append(CellError(WAGE, value, "必填"))
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or not 0 <= amount <= MAX_WAGE:
        errors.append(CellError(WAGE, value, f"应为 0–{MAX_WAGE:,} 之间的金额（元/月）"))
        return None
    return int(amount.to_integral_value())


def check_month(value: object, errors: list[CellError], *, today: dt.date) -> dt.date | None:
    if isinstance(value, dt.date):
        month = (value.date() if isinstance(value, dt.datetime) else value).replace(day=1)
    else:
        text = unicodedata.normalize("NFKC", as_text(value)).strip()
        if not text:
            errors.append(CellError(MONTH, value, "必填"))
            return None
        match = _MONTH.match(text)
        if not match:
            errors.append(CellError(MONTH, value, "应写成年-月，如 2026-03"))
            return None
        year, number = (
            (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        )
        if not 1 <= int(number) <= 12:
            errors.append(CellError(MONTH, value, "月份应为 1–12"))
            return None
        month = dt.date(int(year), int(number), 1)
    if month > today.replace(day=1):
        errors.append(CellError(MONTH, value, "不能晚于本月"))
        return None
    if month.year < 1950:
        errors.append(CellError(MONTH, value, "日期过早"))
        return None
    return month


def check_choice(value: object, column: str, allowed, errors: list[CellError]):
    raw = as_text(value).strip().replace(" ", "")
    if not raw:
        return None
    if raw in allowed:
        return allowed[raw] if isinstance(allowed, Mapping) else raw
    errors.append(CellError(column, value, f"只能填写：{'、'.join(allowed)}"))
    return None


def check_area_code(value: object, errors: list[CellError]) -> str:
    raw = as_text(value).strip().replace(" ", "")
    if raw.endswith(".0"):
        raw = raw[:-2]
    if not raw:
        return ""
    if not (raw.isascii() and raw.isdigit()) or len(raw) not in (6, 9, 12):
        errors.append(CellError(WORK_AREA, value, "应为 6、9 或 12 位区划代码"))
        return ""
    return raw.ljust(12, "0")


def clean_hire_row(cells: Mapping[str, object], *, today: dt.date) -> tuple[HireRow | None, list[CellError]]:
    errors: list[CellError] = []
    get = cells.get
    parsed = check_id(get(ID), errors, today=today)
    name = check_name(get(NAME), errors)
    started_on = check_day(get(STARTED), STARTED, errors, today=today, required=True)
    job_title = as_text(get(JOB)).strip()
    if len(job_title) > 50:
        errors.append(CellError(JOB, get(JOB), "不能超过 50 个字"))
    wage = check_wage(get(WAGE), errors, required=False)
    work_area = check_area_code(get(WORK_AREA), errors)
    ended_on = check_day(get(ENDED), ENDED, errors, today=today, required=False)
    reason = check_choice(get(REASON), REASON, END_REASONS, errors) or ""
    if ended_on is None and reason and not any(e.column == ENDED for e in errors):
        errors.append(CellError(REASON, get(REASON), "只有填写了离职日期，才能填写离职原因"))
    if ended_on is not None and not reason and not any(e.column == REASON for e in errors):
        errors.append(CellError(REASON, get(REASON), f"填写离职日期时必填：{'、'.join(END_REASONS)}"))
    if started_on and ended_on and ended_on < started_on:
        errors.append(CellError(ENDED, get(ENDED), "不能早于入职日期"))
    if parsed and started_on and started_on < parsed.birth_date:
        errors.append(CellError(STARTED, get(STARTED), "早于证件号码中的出生日期"))
    if errors:
        return None, errors
    return HireRow(parsed.value, name, started_on, job_title, wage, work_area, ended_on, reason), []


def clean_wage_row(cells: Mapping[str, object], *, today: dt.date) -> tuple[WageRow | None, list[CellError]]:
    errors: list[CellError] = []
    get = cells.get
    parsed = check_id(get(ID), errors, today=today)
    name = check_name(get(NAME), errors)
    month = check_month(get(MONTH), errors, today=today)
    wage = check_wage(get(WAGE), errors, required=True)
    insured = check_choice(get(INSURED), INSURED, YES_NO, errors)
    if insured is None and not any(e.column == INSURED for e in errors):
        errors.append(CellError(INSURED, get(INSURED), "必填：是、否"))
    if errors:
        return None, errors
    return WageRow(parsed.value, name, month, wage, insured), []


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
