"""One row of an employment records file (EXCHANGE §5) checked and turned into an EmploymentRow. Plain
Python, no Django: whether the person is a living registry person of the importing area and the work
area a loaded code are the importer's questions (employment/importer.py), asked of all rows at once.

The same checks run column-wise on large CSV files (employment/columnar.py), which accepts only rows in
their plain, usual form and sends every other row here, so both paths take and refuse the same rows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields

from bangfu.core.idnumber import IdNumberError, parse_id_number
from bangfu.employers.creditcode import CreditCodeError, parse_credit_code
from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import Column
from bangfu.registry.rows import parse_date

ID, NAME, EMPLOYER, CREDIT_CODE = "证件号码", "姓名", "单位名称", "统一社会信用代码"
WORK_AREA, STARTED, ENDED = "工作地区划代码", "入职日期", "离职日期"
END_REASON, WAGE, CHANNEL = "离职原因", "月工资", "就业渠道"

COLUMNS = (
    Column(ID, required=True, aliases=("身份证号", "身份证号码", "公民身份号码")),
    Column(NAME, required=True),
    Column(EMPLOYER, required=True, aliases=("用人单位", "用人单位名称", "就业单位")),
    Column(CREDIT_CODE, aliases=("信用代码", "单位统一社会信用代码")),
    Column(WORK_AREA, required=True, aliases=("工作地", "工作地点区划代码", "务工地区划代码")),
    Column(STARTED, required=True, aliases=("用工日期", "入职时间", "就业日期")),
    Column(ENDED, aliases=("离职时间", "解除日期")),
    Column(END_REASON, aliases=("离职原因说明",)),
    Column(WAGE, aliases=("工资", "月收入")),
    Column(CHANNEL, aliases=("就业方式", "就业途径")),
)
COLUMN_NAMES = [column.name for column in COLUMNS]

# The values of EXCHANGE §5 (employment.models.EndReason and Channel hold the same; a test says so).
END_REASONS = ("合同到期", "解除劳动关系", "返乡", "转岗", "其他")
CHANNELS = ("有组织输出", "自主外出", "公益性岗位", "扶贫车间", "自主创业", "灵活就业", "推荐就业", "其他")
EMPLOYER_LIMIT = 100  # EmploymentRecord.employer_name
NAME_LIMIT = 50
WAGE_MAX = 1_000_000  # yuan a month: beyond it, a typing error
FIRST_DAY = dt.date(1980, 1, 1)
AREA_DIGITS = re.compile(r"^[0-9]{6,12}$")


@dataclass(frozen=True)
class EmploymentRow:
    row_number: int
    id_number: str
    name: str
    employer_name: str
    credit_code: str  # "" when not given
    work_code: str  # the 12-digit area code
    started_on: dt.date
    ended_on: dt.date | None = None
    end_reason: str = ""
    monthly_wage: int | None = None
    channel: str = ""  # "" when not given: derived when saved

    @property
    def employer_key(self) -> str:
        """The employer as §5 identifies a record: the credit code when given, else the name."""
        return self.credit_code or self.employer_name

    @property
    def key(self) -> tuple[str, dt.date, str]:
        """What identifies a record (§5): importing the same key again updates that record."""
        return self.id_number, self.started_on, self.employer_key


ROW_FIELDS = tuple(f.name for f in fields(EmploymentRow))


def fold(value: object) -> str:
    """A cell as text: full-width folded to half-width, spaces removed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "").strip()


def _choice(value: object, column: str, allowed: tuple[str, ...], errors: list[CellError]) -> str:
    text = fold(value)
    if text and text not in allowed:
        errors.append(CellError(column, value, f"只能填写：{'、'.join(allowed)}"))
        return ""
    return text


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


def clean_work_code(value: object) -> str:
    """The 12-digit code of a 6- to 12-digit area code; ValueError (Chinese) otherwise."""
    text = fold(value)
    if not AREA_DIGITS.match(text):
        raise ValueError("应为 6 到 12 位数字的区划代码")
    return text.ljust(12, "0")


def clean_employment_row(
    cells: Mapping[str, object], *, today: dt.date, row_number: int = 0
) -> tuple[EmploymentRow | None, list[CellError]]:
    errors: list[CellError] = []
    get = cells.get
    id_number = ""
    try:
        id_number = parse_id_number(get(ID), today=today).value
    except IdNumberError as exc:
        errors.append(CellError(ID, get(ID), exc.message))
    name = fold(get(NAME)).replace("•", "·").replace("．", "·")
    if not name:
        errors.append(CellError(NAME, get(NAME), "必填"))
    elif len(name) > NAME_LIMIT:
        errors.append(CellError(NAME, get(NAME), f"不能超过 {NAME_LIMIT} 个字"))
    raw_employer = get(EMPLOYER)
    employer = "" if raw_employer is None else unicodedata.normalize("NFKC", str(raw_employer)).strip()
    if not employer:
        errors.append(CellError(EMPLOYER, raw_employer, "必填"))
    elif len(employer) > EMPLOYER_LIMIT:
        errors.append(CellError(EMPLOYER, raw_employer, f"不能超过 {EMPLOYER_LIMIT} 个字"))
    credit_code = ""
    if fold(get(CREDIT_CODE)):
        try:
            credit_code = parse_credit_code(get(CREDIT_CODE))
        except CreditCodeError as exc:
            errors.append(CellError(CREDIT_CODE, get(CREDIT_CODE), str(exc)))
    work_code = ""
    if not fold(get(WORK_AREA)):
        errors.append(CellError(WORK_AREA, get(WORK_AREA), "必填"))
    else:
        try:
            work_code = clean_work_code(get(WORK_AREA))
        except ValueError as exc:
            errors.append(CellError(WORK_AREA, get(WORK_AREA), str(exc)))
    started = _date(get(STARTED), STARTED, today, errors, required=True)
    ended = _date(get(ENDED), ENDED, today, errors, required=False)
    if started and ended and ended < started:
        errors.append(CellError(ENDED, get(ENDED), f"不能早于入职日期（{started:%Y-%m-%d}）"))
    reason = _choice(get(END_REASON), END_REASON, END_REASONS, errors)
    if reason and not fold(get(ENDED)):
        errors.append(CellError(END_REASON, get(END_REASON), "只有填写了离职日期，才能填写离职原因"))
    wage = None
    raw_wage = fold(get(WAGE))
    if raw_wage:
        try:
            wage = int(raw_wage.removesuffix("元").replace(",", ""))
        except ValueError:
            errors.append(CellError(WAGE, get(WAGE), "应为整数（元）"))
        else:
            if not 0 <= wage <= WAGE_MAX:
                errors.append(CellError(WAGE, get(WAGE), f"应在 0 到 {WAGE_MAX} 元之间"))
    channel = _choice(get(CHANNEL), CHANNEL, CHANNELS, errors)
    if errors:
        return None, errors
    row = EmploymentRow(
        row_number, id_number, name, employer, credit_code, work_code, started, ended, reason, wage, channel
    )
    return row, []
