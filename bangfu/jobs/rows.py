"""One row of a jobs file (EXCHANGE.md §2) checked and turned into a JobRecord. Plain Python, no Django.

The caller hands in what the row is checked against: where the importer may place jobs (`place`), the leaf
occupation codes and the occupation inference. The form and the API use the same checks.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bangfu.employers.creditcode import CreditCodeError, parse_credit_code
from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import Column
from bangfu.jobs.occupations import Inference
from bangfu.registry.rows import parse_date
from bangfu.registry.vocab import EDUCATIONS

NUMBER, EMPLOYER, CREDIT_CODE, TITLE, OCCUPATION = (
    "岗位编号",
    "单位名称",
    "统一社会信用代码",
    "岗位名称",
    "职业代码",
)
OPENINGS, AREA, WAGE_MIN, WAGE_MAX = "招聘人数", "工作地点区划代码", "月薪下限", "月薪上限"
AGE_MIN, AGE_MAX, SEX, EDUCATION = "年龄下限", "年龄上限", "性别要求", "学历要求"
BOARD, SKILLS, DEADLINE = "是否包吃住", "技能要求", "截止日期"

COLUMNS = (
    Column(NUMBER, required=True),
    Column(EMPLOYER, required=True, aliases=("用人单位", "企业名称")),
    Column(CREDIT_CODE, required=True),
    Column(TITLE, required=True),
    Column(OCCUPATION, aliases=("职业分类代码",)),
    Column(OPENINGS, required=True),
    Column(AREA, required=True),
    Column(WAGE_MIN),
    Column(WAGE_MAX),
    Column(AGE_MIN),
    Column(AGE_MAX),
    Column(SEX),
    Column(EDUCATION),
    Column(BOARD),
    Column(SKILLS),
    Column(DEADLINE),
)
COLUMN_NAMES = [column.name for column in COLUMNS]

SEX_VALUES = {"不限": "", "男": "男", "女": "女"}
EDUCATION_VALUES = ("不限", *EDUCATIONS)
YES_NO = {"是": True, "否": False}
MAX_WAGE = 1_000_000
MAX_OPENINGS = 100_000
AGE_LOW, AGE_HIGH = 16, 70
CODE_TOKEN = re.compile(r"\d-\d{2}(?:-\d{2}){1,2}")


@dataclass
class JobRecord:
    number: str
    employer_name: str
    credit_code: str
    title: str
    occupation_code: str | None
    occupation_inferred: bool
    occupation_confidence: float | None
    openings: int
    area_code: str
    wage_min: int | None = None
    wage_max: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    sex_required: str = ""
    education_min: str = ""
    board_and_lodging: bool | None = None
    skills_required: str = ""
    deadline: dt.date | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.credit_code, self.number


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return unicodedata.normalize("NFKC", str(value)).strip()


def _number(value: object, column: str, low: int, high: int, errors: list[CellError], unit: str = ""):
    raw = text(value).replace(",", "").replace(" ", "")
    if unit and raw.endswith(unit):
        raw = raw[: -len(unit)]
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        errors.append(CellError(column, value, f"应为 {low}–{high} 之间的整数"))
        return None
    if number != number.to_integral_value() or not low <= number <= high:
        errors.append(CellError(column, value, f"应为 {low}–{high} 之间的整数"))
        return None
    return int(number)


def _choice(value: object, column: str, allowed: Mapping[str, object] | tuple, errors: list[CellError]):
    raw = text(value).replace(" ", "")
    if not raw:
        return None
    if raw in allowed:
        return allowed[raw] if isinstance(allowed, Mapping) else raw
    errors.append(CellError(column, value, f"只能填写：{'、'.join(allowed)}"))
    return None


def _limited(value: object, column: str, size: int, errors: list[CellError], *, required=False) -> str:
    # Free text keeps the writer's own characters (full-width brackets stay); only numbers are folded.
    raw = text(value) if not isinstance(value, str) else value.strip()
    if required and not raw:
        errors.append(CellError(column, value, "必填"))
    elif len(raw) > size:
        errors.append(CellError(column, value, f"不能超过 {size} 个字"))
    return raw


def clean_job_row(
    cells: Mapping[str, object],
    *,
    place: Callable[[str], tuple[str | None, str | None]],
    leaf_codes: set[str],
    infer: Callable[[str], Inference | None],
) -> tuple[JobRecord | None, list[CellError]]:
    """Check one row; `place(code)` gives (12-digit area code, None) or (None, why the code is refused)."""
    errors: list[CellError] = []
    get = cells.get
    number = _limited(get(NUMBER), NUMBER, 40, errors, required=True)
    employer_name = _limited(get(EMPLOYER), EMPLOYER, 100, errors, required=True)
    credit_code = ""
    try:
        credit_code = parse_credit_code(get(CREDIT_CODE))
    except CreditCodeError as exc:
        errors.append(CellError(CREDIT_CODE, get(CREDIT_CODE), str(exc)))
    title = _limited(get(TITLE), TITLE, 100, errors, required=True)

    occupation_code, inferred, confidence = None, False, None
    raw_occupation = text(get(OCCUPATION))
    if raw_occupation:
        match = CODE_TOKEN.match(raw_occupation)
        code = match.group(0) if match else raw_occupation
        if code in leaf_codes:
            occupation_code = code
        else:
            errors.append(
                CellError(OCCUPATION, get(OCCUPATION), "不是职业分类大典的细类代码（如 6-18-02-04）")
            )
    elif title:
        guess = infer(title)
        if guess is not None:
            occupation_code, inferred, confidence = guess.code, True, guess.confidence

    openings = _number(get(OPENINGS), OPENINGS, 1, MAX_OPENINGS, errors)
    if openings is None and not any(e.column == OPENINGS for e in errors):
        errors.append(CellError(OPENINGS, get(OPENINGS), "必填，至少 1 人"))

    area_code = None
    raw_area = text(get(AREA)).replace(" ", "")
    if not raw_area:
        errors.append(CellError(AREA, get(AREA), "必填"))
    elif not raw_area.isdigit() or len(raw_area) not in (6, 9, 12):
        errors.append(CellError(AREA, get(AREA), "应为 6、9 或 12 位区划代码"))
    else:
        area_code, why = place(raw_area.ljust(12, "0"))
        if why:
            errors.append(CellError(AREA, get(AREA), why))

    wage_min = _number(get(WAGE_MIN), WAGE_MIN, 0, MAX_WAGE, errors, "元")
    wage_max = _number(get(WAGE_MAX), WAGE_MAX, 0, MAX_WAGE, errors, "元")
    if wage_min is not None and wage_max is not None and wage_min > wage_max:
        errors.append(CellError(WAGE_MAX, get(WAGE_MAX), f"月薪上限不能低于下限（{wage_min}）"))
    age_min = _number(get(AGE_MIN), AGE_MIN, AGE_LOW, AGE_HIGH, errors, "岁")
    age_max = _number(get(AGE_MAX), AGE_MAX, AGE_LOW, AGE_HIGH, errors, "岁")
    if age_min is not None and age_max is not None and age_min > age_max:
        errors.append(CellError(AGE_MAX, get(AGE_MAX), f"年龄上限不能低于下限（{age_min}）"))
    sex = _choice(get(SEX), SEX, SEX_VALUES, errors) or ""
    education = _choice(get(EDUCATION), EDUCATION, EDUCATION_VALUES, errors) or ""
    if education == "不限":
        education = ""
    board = _choice(get(BOARD), BOARD, YES_NO, errors)
    skills = _limited(get(SKILLS), SKILLS, 200, errors)
    deadline = None
    if get(DEADLINE) not in (None, ""):
        try:
            deadline = parse_date(get(DEADLINE))
        except ValueError:
            errors.append(CellError(DEADLINE, get(DEADLINE), "不是有效日期，请写成 2025-06-30"))

    if errors:
        return None, errors
    return (
        JobRecord(
            number=number,
            employer_name=employer_name,
            credit_code=credit_code,
            title=title,
            occupation_code=occupation_code,
            occupation_inferred=inferred,
            occupation_confidence=confidence,
            openings=openings,
            area_code=area_code,
            wage_min=wage_min,
            wage_max=wage_max,
            age_min=age_min,
            age_max=age_max,
            sex_required=sex,
            education_min=education,
            board_and_lodging=board,
            skills_required=skills,
            deadline=deadline,
        ),
        [],
    )
