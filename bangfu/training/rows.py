"""One row of a provider's enrolment roster (EXCHANGE §13, 培训学员名册) checked and turned into a
RosterRow. Plain Python, no Django: whether the course exists in the importing area and whether the
trainee is a registry person there are the importer's questions (training/importer.py), asked of all rows
at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bangfu.core.idnumber import IdNumberError, parse_id_number
from bangfu.employment.rows import FIRST_DAY, NAME_LIMIT, fold
from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import Column
from bangfu.registry.rows import parse_date

COURSE, ID, NAME, ENROLLED, DAYS = "班级编号", "证件号码", "姓名", "报名日期", "出勤天数"
RESULT, COMPLETED, CERT_KIND, CERT_NUMBER, CERT_ON = (
    "培训结果",
    "结业日期",
    "证书类型",
    "证书编号",
    "发证日期",
)

COLUMNS = (
    Column(COURSE, required=True, aliases=("班级代码", "培训班编号", "班次编号")),
    Column(ID, required=True, aliases=("身份证号", "身份证号码", "公民身份号码")),
    Column(NAME, required=True, aliases=("学员姓名",)),
    Column(ENROLLED, aliases=("报名时间", "入学日期")),
    Column(DAYS, aliases=("实际出勤天数", "出勤")),
    Column(RESULT, aliases=("学员状态", "状态")),
    Column(COMPLETED, aliases=("结业时间",)),
    Column(CERT_KIND, aliases=("证书种类",)),
    Column(CERT_NUMBER, aliases=("证书号码",)),
    Column(CERT_ON, aliases=("发证时间",)),
)
# training.models.EnrolmentStatus and CertificateKind hold the same (a test says so).
RESULTS = ("在训", "结业", "退学")
CERTIFICATES = ("职业资格证书", "职业技能等级证书", "专项职业能力证书", "培训合格证书")
NUMBER_LIMIT = 40


@dataclass(frozen=True)
class RosterRow:
    row_number: int
    course: str
    id_number: str
    name: str
    enrolled_on: dt.date | None
    days_attended: int | None  # None: not given (kept as it is)
    result: str  # 在训, 结业 or 退学
    completed_on: dt.date | None
    certificate_kind: str = ""
    certificate_number: str = ""
    certificate_on: dt.date | None = None


def _date(value: object, column: str, today: dt.date, errors: list[CellError]) -> dt.date | None:
    try:
        day = parse_date(value)
    except (ValueError, OverflowError):
        errors.append(CellError(column, value, "不是有效日期，请写成 2026-05-31"))
        return None
    if day is None:
        return None
    if day > today:
        errors.append(CellError(column, value, f"不能晚于今天（{today:%Y-%m-%d}）"))
        return None
    if day < FIRST_DAY:
        errors.append(CellError(column, value, f"不能早于 {FIRST_DAY:%Y-%m-%d}"))
        return None
    return day


def clean_row(
    cells: Mapping[str, object], *, today: dt.date, row_number: int = 0
) -> tuple[RosterRow | None, list[CellError]]:
    errors: list[CellError] = []
    get = cells.get
    course = fold(get(COURSE))
    if not course:
        errors.append(CellError(COURSE, get(COURSE), "必填"))
    elif len(course) > NUMBER_LIMIT:
        errors.append(CellError(COURSE, get(COURSE), f"不能超过 {NUMBER_LIMIT} 个字符"))
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
    enrolled = _date(get(ENROLLED), ENROLLED, today, errors)
    days = None
    text = fold(get(DAYS)).removesuffix("天")
    if text.endswith(".0"):
        text = text[:-2]
    if text:
        if text.isascii() and text.isdigit() and int(text) <= 366:
            days = int(text)
        else:
            errors.append(CellError(DAYS, get(DAYS), "应为整数（天）"))
    result = fold(get(RESULT)) or "在训"
    if result not in RESULTS:
        errors.append(CellError(RESULT, get(RESULT), f"只能填写：{'、'.join(RESULTS)}"))
    completed = _date(get(COMPLETED), COMPLETED, today, errors)
    if result == "结业" and completed is None and not any(e.column == COMPLETED for e in errors):
        errors.append(CellError(COMPLETED, get(COMPLETED), "培训结果为结业时必填"))
    if result != "结业" and completed is not None:
        errors.append(CellError(COMPLETED, get(COMPLETED), "只有结业的学员填写结业日期"))
    if enrolled and completed and completed < enrolled:
        errors.append(CellError(COMPLETED, get(COMPLETED), f"不能早于报名日期（{enrolled:%Y-%m-%d}）"))
    kind = fold(get(CERT_KIND))
    number = fold(get(CERT_NUMBER))
    cert_on = _date(get(CERT_ON), CERT_ON, today, errors)
    if kind and kind not in CERTIFICATES:
        errors.append(CellError(CERT_KIND, get(CERT_KIND), f"只能填写：{'、'.join(CERTIFICATES)}"))
    elif bool(kind) != bool(number):
        column, value = (CERT_NUMBER, get(CERT_NUMBER)) if kind else (CERT_KIND, get(CERT_KIND))
        errors.append(CellError(column, value, "证书类型和证书编号要一起填写"))
    elif kind and result != "结业":
        errors.append(CellError(CERT_KIND, get(CERT_KIND), "只有结业的学员填写证书"))
    elif len(number) > NUMBER_LIMIT:
        errors.append(CellError(CERT_NUMBER, get(CERT_NUMBER), f"不能超过 {NUMBER_LIMIT} 个字符"))
    if errors:
        return None, errors
    return (
        RosterRow(
            row_number,
            course,
            id_number,
            name,
            enrolled,
            days,
            result,
            completed,
            kind,
            number,
            (cert_on or completed) if kind else None,
        ),
        [],
    )
