"""Other departments' files (EXCHANGE.md §3, a public contract): the columns of each source type and the
check of one row. Plain Python: cells in, a cleaned row or Chinese errors out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import Column, as_text, fold
from bangfu.registry.rows import clean_phone, parse_date
from bangfu.registry.vocab import (
    DISABILITY_CATEGORIES,
    DISABILITY_GRADES,
    INSURANCE_STATUSES,
    MEDICAL_STATUSES,
    PENSION_KINDS,
    SEXES,
)

SOCIAL, EMPLOYMENT, DEATH, CIVIL, DISABILITY, MEDICAL, SETTLEMENT = (
    "social-insurance",
    "employment",
    "death",
    "civil-affairs",
    "disability",
    "medical-insurance",
    "medical-settlement",
)
TYPE_NAMES = {
    SOCIAL: "社保参保",
    EMPLOYMENT: "就业登记/用工备案",
    DEATH: "死亡",
    CIVIL: "低保特困",
    DISABILITY: "残疾人",
    MEDICAL: "医保参保",
    SETTLEMENT: "医保结算",
}

# The values the registry stores are the registry's (registry/vocab.py); the rest are only files' values.
INSURANCE_KINDS = (*PENSION_KINDS, "失业保险", "工伤保险")
ACTIVE_INSURANCE = ("参保缴费", "领取待遇")
ASSISTANCE_TYPES = ("低保", "特困")
WAGE_MAX = 1_000_000  # 月工资, yuan
FIRST_MEDICAL_YEAR = 1990  # 参保年度: from this year to next year
# 医保结算 (the project's proposal for EXCHANGE §3): the amounts of one settlement, yuan with fen; and two
# columns of the platform's own that the reference rules' estimator reads.
SETTLEMENT_AMOUNTS = ("总费用", "基本医保支付", "大病保险支付", "医疗救助支付", "个人负担")
CARE_KINDS = ("住院", "门诊慢特病", "普通门诊")
HOSPITAL_LEVELS = ("一级", "二级", "三级")
MONEY_MAX = 100_000_000  # yuan, one settlement

# Enumerated columns of each type: column → the values accepted (the row check and the templates read these).
VALUES = {
    SOCIAL: {"险种": INSURANCE_KINDS, "参保状态": INSURANCE_STATUSES},
    EMPLOYMENT: {},
    DEATH: {},
    CIVIL: {"救助类型": ASSISTANCE_TYPES},
    DISABILITY: {"残疾类别": DISABILITY_CATEGORIES, "残疾等级": DISABILITY_GRADES},
    MEDICAL: {"参保状态": MEDICAL_STATUSES},
    SETTLEMENT: {"医疗类别": CARE_KINDS, "医院等级": HOSPITAL_LEVELS},
}

COMMON = (
    Column("姓名", required=True),
    Column("证件号码", required=True, aliases=("身份证号", "身份证号码", "公民身份号码")),
    Column("性别"),
    Column("出生日期"),
    Column("联系电话", aliases=("手机号码", "电话")),
    Column("地址", aliases=("住址", "家庭住址")),
    # Not in EXCHANGE.md §3 but welcome: where the person lives, a hint for fuzzy linkage.
    Column("户籍地区划代码", aliases=("行政区划代码", "区划代码", "户籍地", "居住地区划代码")),
)


@dataclass(frozen=True)
class SourceType:
    code: str
    extra: tuple[Column, ...]
    # Columns only this type has: a file whose header shows them belongs to this type.
    signature: tuple[str, ...]

    @property
    def name(self) -> str:
        return TYPE_NAMES[self.code]

    @property
    def columns(self) -> tuple[Column, ...]:
        return (*COMMON, *self.extra)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def extra_values(self) -> list[tuple[str, str]]:
        """The keys of a checked row's `extra` (地址 and the type's own columns) with their types as the
        run's DuckDB holds them: whole numbers BIGINT, the rest (dates as ISO text) VARCHAR."""
        return [("地址", "VARCHAR")] + [(c.name, NUMBERS.get(c.name, "VARCHAR")) for c in self.extra]


# The type's own values that are whole numbers (SourceRow.extra holds them as int).
NUMBERS = {"月工资": "BIGINT", "参保年度": "BIGINT"}


TYPES = {
    SOCIAL: SourceType(
        SOCIAL,
        (
            Column("险种", required=True, aliases=("参保险种",)),
            Column("参保状态", required=True),
            Column("参保单位", aliases=("参保单位名称",)),
            Column("参保地区划代码", aliases=("参保地",)),
            Column("最近缴费年月", aliases=("最后缴费年月",)),
            # Not in EXCHANGE.md §3 at first (issue 16): when a 终止参保 ended, the day a job it was
            # paid for ended.
            Column("终止参保日期", aliases=("停保日期", "终止参保时间")),
        ),
        ("险种",),
    ),
    EMPLOYMENT: SourceType(
        EMPLOYMENT,
        (
            Column("单位名称", required=True, aliases=("用人单位", "用人单位名称")),
            Column("统一社会信用代码", aliases=("信用代码",)),
            Column("工作地区划代码", aliases=("工作地",)),
            Column("入职日期", required=True, aliases=("用工日期", "入职时间")),
            Column("离职日期", aliases=("离职时间", "解除日期")),
            Column("月工资", aliases=("工资",)),
        ),
        ("单位名称", "入职日期"),
    ),
    DEATH: SourceType(DEATH, (Column("死亡日期", required=True, aliases=("死亡时间",)),), ("死亡日期",)),
    CIVIL: SourceType(
        CIVIL,
        (
            Column("救助类型", required=True, aliases=("救助类别",)),
            Column("开始日期", aliases=("起始日期",)),
            Column("终止日期", aliases=("结束日期",)),
        ),
        ("救助类型",),
    ),
    DISABILITY: SourceType(
        DISABILITY,
        (Column("残疾类别", required=True), Column("残疾等级", required=True)),
        ("残疾类别", "残疾等级"),
    ),
    MEDICAL: SourceType(
        MEDICAL,
        (Column("参保年度", required=True), Column("参保状态", required=True)),
        ("参保年度",),
    ),
    SETTLEMENT: SourceType(
        SETTLEMENT,
        (
            Column("结算日期", required=True, aliases=("结算时间", "出院日期")),
            Column("总费用", required=True, aliases=("医疗总费用", "费用总额")),
            Column("基本医保支付", aliases=("基本医疗保险支付", "统筹支付")),
            Column("大病保险支付", aliases=("大病支付",)),
            Column("医疗救助支付", aliases=("救助支付",)),
            Column("个人负担", required=True, aliases=("个人自付", "个人支付")),
            Column("医疗类别", aliases=("就医类别",)),
            Column("医院等级", aliases=("医疗机构等级",)),
        ),
        ("结算日期", "个人负担"),
    ),
}


def all_columns() -> list[Column]:
    """Every column of every type, none required: a file is opened with these, so that a file of another
    type is recognised as such instead of failing on a missing column."""
    seen: dict[str, Column] = {}
    for source_type in TYPES.values():
        for column in source_type.columns:
            seen.setdefault(column.name, Column(column.name, aliases=column.aliases))
    return list(seen.values())


def wrong_type_message(source_type: SourceType, found: set[str]) -> str | None:
    """When the file's header lacks this type's columns: a message naming the missing ones, and the
    type the file looks like if its header has another type's own columns."""
    missing = [name for name in source_type.required if name not in found]
    if not missing:
        return None
    message = f"缺少「{source_type.name}」数据的必填列：{'、'.join(missing)}。"
    for other in TYPES.values():
        if other is not source_type and all(name in found for name in other.signature):
            message += (
                f"该文件含有「{'、'.join(other.signature)}」列，看起来是「{other.name}」数据，"
                f"而不是「{source_type.name}」数据，请确认比对数据类型是否选错。"
            )
            break
    return message


@dataclass
class SourceRow:
    """One checked row: the linkage columns and the type's own values (dates as date, numbers as int)."""

    row_no: int
    name: str
    id_raw: str
    sex: str | None = None
    birth_date: dt.date | None = None
    phone: str = ""
    area_code: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


_SEX = {"男": "男", "男性": "男", "1": "男", "女": "女", "女性": "女", "2": "女"}
_AREA = re.compile(r"\d{6}(\d{3}(\d{3})?)?")
_CREDIT = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")
_MONTH = (
    re.compile(r"(\d{4})-(\d{1,2})$"),
    re.compile(r"(\d{4})(\d{2})$"),
    re.compile(r"(\d{4})年(\d{1,2})月?$"),
)


def _text(value) -> str:
    return as_text(value).strip()


def _enum(cells, column, allowed, errors, *, required=True) -> str | None:
    raw = _text(cells.get(column))
    if not raw:
        if required:
            errors.append(CellError(column, raw, "不能为空"))
        return None
    value = fold(raw)
    for option in allowed:
        if fold(option) == value:
            return option
    errors.append(CellError(column, raw, f"只能填写：{'、'.join(allowed)}"))
    return None


def _date(cells, column, errors, today, *, required=False, future_ok=False) -> dt.date | None:
    raw = cells.get(column)
    if raw is None or _text(raw) == "":
        if required:
            errors.append(CellError(column, "", "不能为空"))
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        errors.append(CellError(column, raw, "不是有效日期，应写成如 2024-05-31"))
        return None
    if value is None:
        return None
    if value.year < 1900:
        errors.append(CellError(column, raw, "日期早于 1900 年"))
        return None
    if not future_ok and value > today:
        errors.append(CellError(column, raw, f"日期晚于今天（{today.isoformat()}）"))
        return None
    return value


def _area(cells, column, errors) -> str | None:
    raw = _text(cells.get(column))
    if not raw:
        return None
    if not _AREA.fullmatch(raw):
        errors.append(CellError(column, raw, "应为 6、9 或 12 位区划代码"))
        return None
    return raw  # as precise as given: the linkage compares 4, 6, 9 or 12 leading digits


def _month(cells, column, errors) -> str | None:
    raw = cells.get(column)
    if isinstance(raw, dt.date):
        return f"{raw:%Y-%m}"
    text = fold(_text(raw)).replace("/", "-").replace(".", "-")
    if not text:
        return None
    for pattern in _MONTH:
        if match := pattern.match(text):
            year, month = int(match.group(1)), int(match.group(2))
            if 1900 <= year <= 2100 and 1 <= month <= 12:
                return f"{year:04d}-{month:02d}"
    errors.append(CellError(column, raw, "不是有效的年月，应写成如 2024-05"))
    return None


def _int(cells, column, errors, low, high, *, required=False) -> int | None:
    raw = cells.get(column)
    text = _text(raw).replace(",", "")
    if not text:
        if required:
            errors.append(CellError(column, "", "不能为空"))
        return None
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number.is_integer() or not low <= number <= high:
        errors.append(CellError(column, raw, f"应为 {low}–{high} 之间的整数"))
        return None
    return int(number)


def _money(cells, column, errors, *, required=False) -> str | None:
    """Yuan with at most two decimals, as text ("1234.50"); None when empty."""
    raw = cells.get(column)
    text = _text(raw).replace(",", "")
    if not text:
        if required:
            errors.append(CellError(column, "", "不能为空"))
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not 0 <= number <= MONEY_MAX or number != round(number, 2):
        errors.append(CellError(column, raw, f"应为 0–{MONEY_MAX} 元之间、最多两位小数的金额"))
        return None
    return f"{number:.2f}"


def clean_source_row(
    source_type: SourceType, number: int, cells: dict[str, object], today: dt.date
) -> tuple[SourceRow | None, list[CellError]]:
    """Check one row of a source file. The ID number is passed on raw: a wrong or missing ID is what
    fuzzy linkage is for, never a reason to reject the row."""
    errors: list[CellError] = []
    name = _text(cells.get("姓名"))
    if not name:
        errors.append(CellError("姓名", "", "不能为空"))
    id_cell = cells.get("证件号码")
    # A number cell is kept as Excel shows it; the linkage reports it as an ID stored as a number.
    id_raw = as_text(id_cell).strip() if not isinstance(id_cell, float) else as_text(id_cell)
    sex = None
    if raw_sex := _text(cells.get("性别")):
        sex = _SEX.get(fold(raw_sex))
        if sex is None:
            errors.append(CellError("性别", raw_sex, f"只能填写：{'、'.join(SEXES)}"))
    birth = _date(cells, "出生日期", errors, today)
    phone = ""
    if raw_phone := _text(cells.get("联系电话")):
        try:
            phone = clean_phone(raw_phone)
        except ValueError:
            phone = ""  # a phone the registry could not hold is no reason to drop the row
    extra: dict[str, object] = {"地址": _text(cells.get("地址"))}
    area_code = _area(cells, "户籍地区划代码", errors)
    code = source_type.code
    values = VALUES[code]
    if code == SOCIAL:
        kind = _enum(cells, "险种", values["险种"], errors)
        extra["险种"] = kind
        extra["参保状态"] = _enum(cells, "参保状态", values["参保状态"], errors)
        extra["参保单位"] = _text(cells.get("参保单位"))
        extra["参保地区划代码"] = _area(cells, "参保地区划代码", errors)
        extra["最近缴费年月"] = _month(cells, "最近缴费年月", errors)
        extra["终止参保日期"] = _date(cells, "终止参保日期", errors, today, future_ok=True)
        if kind == "城乡居民养老保险" and not area_code:  # residents enrol where they live
            area_code = extra["参保地区划代码"]
    elif code == EMPLOYMENT:
        extra["单位名称"] = _text(cells.get("单位名称"))
        if not extra["单位名称"]:
            errors.append(CellError("单位名称", "", "不能为空"))
        credit = fold(_text(cells.get("统一社会信用代码"))).upper()
        if credit and not _CREDIT.fullmatch(credit):
            errors.append(
                CellError("统一社会信用代码", cells.get("统一社会信用代码"), "应为 18 位统一社会信用代码")
            )
        extra["统一社会信用代码"] = credit
        extra["工作地区划代码"] = _area(cells, "工作地区划代码", errors)
        extra["入职日期"] = start = _date(cells, "入职日期", errors, today, required=True)
        extra["离职日期"] = end = _date(cells, "离职日期", errors, today, future_ok=True)
        if start and end and end < start:
            errors.append(CellError("离职日期", end.isoformat(), "早于入职日期"))
        extra["月工资"] = _int(cells, "月工资", errors, 0, WAGE_MAX)
    elif code == DEATH:
        extra["死亡日期"] = died = _date(cells, "死亡日期", errors, today, required=True)
        if died and birth and died < birth:
            errors.append(CellError("死亡日期", died.isoformat(), "早于出生日期"))
    elif code == CIVIL:
        extra["救助类型"] = _enum(cells, "救助类型", values["救助类型"], errors)
        extra["开始日期"] = start = _date(cells, "开始日期", errors, today, future_ok=True)
        extra["终止日期"] = end = _date(cells, "终止日期", errors, today, future_ok=True)
        if start and end and end < start:
            errors.append(CellError("终止日期", end.isoformat(), "早于开始日期"))
    elif code == DISABILITY:
        extra["残疾类别"] = _enum(cells, "残疾类别", values["残疾类别"], errors)
        extra["残疾等级"] = _enum(cells, "残疾等级", values["残疾等级"], errors)
    elif code == MEDICAL:
        extra["参保年度"] = _int(cells, "参保年度", errors, FIRST_MEDICAL_YEAR, today.year + 1, required=True)
        extra["参保状态"] = _enum(cells, "参保状态", values["参保状态"], errors)
    elif code == SETTLEMENT:
        extra["结算日期"] = _date(cells, "结算日期", errors, today, required=True)
        for column in SETTLEMENT_AMOUNTS:
            extra[column] = _money(cells, column, errors, required=column in ("总费用", "个人负担"))
        extra["医疗类别"] = _enum(cells, "医疗类别", values["医疗类别"], errors, required=False)
        extra["医院等级"] = _enum(cells, "医院等级", values["医院等级"], errors, required=False)
        paid = [extra[c] for c in SETTLEMENT_AMOUNTS[1:]]
        if extra["总费用"] is not None and None not in paid[-1:]:
            parts = sum(Decimal(p) for p in paid if p is not None)
            if parts > Decimal(extra["总费用"]):
                errors.append(CellError("个人负担", extra["个人负担"], "各项支付与个人负担之和超过总费用"))
    if errors:
        return None, errors
    return SourceRow(number, name, id_raw, sex, birth, phone, area_code, extra), []
