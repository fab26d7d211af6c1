"""One registry row (EXCHANGE.md §1) checked and cleaned: the single validation behind file imports, the
create/edit forms and the API. Plain Python; the area lookup is handed in."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from bangfu.core.idnumber import IdNumberError, check_against, parse_id_number
from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import Column
from bangfu.registry import vocab

AREA_CODE, COUNTY, TOWNSHIP, VILLAGE = "行政区划代码", "县(市、区)", "乡(镇)", "行政村"

COLUMNS = (
    Column(AREA_CODE, aliases=("村级区划代码", "区划代码")),
    Column(COUNTY, aliases=("县", "县市区", "县（市、区）")),
    Column(TOWNSHIP, aliases=("乡镇", "乡（镇）", "乡镇(街道)")),
    Column(VILLAGE, aliases=("村", "行政村(社区)")),
    Column("户编号", required=True, aliases=("户码",)),
    Column("姓名", required=True),
    Column("证件号码", required=True, aliases=("身份证号", "身份证号码", "公民身份号码")),
    Column("与户主关系", required=True),
    Column("性别"),
    Column("出生日期"),
    Column("民族"),
    Column("文化程度"),
    Column("在校生状况"),
    Column("健康状况"),
    Column("劳动技能"),
    Column("务工状态"),
    Column("务工时间(月)", aliases=("务工时间", "务工时间（月）")),
    Column("联系电话", aliases=("手机号码", "电话")),
    Column("户类型"),
    Column("监测对象类型"),
    Column("脱贫年度"),
    Column("人均纯收入"),
    Column("是否低保"),
    Column("是否特困"),
    Column("是否易地搬迁"),
    Column("就业意向"),
    Column("意向务工地"),
    Column("期望月薪"),
    Column("培训意愿"),
    Column("技能特长"),
    Column("就业意愿"),
)
# The export writes these, in this order; the import reads them back unchanged.
EXPORT_COLUMNS = tuple(c.name for c in COLUMNS if c.name not in (COUNTY, TOWNSHIP, VILLAGE))

# Columns holding one of a fixed set of values: column → (allowed values, record attribute).
ENUMS = {
    "与户主关系": (vocab.RELATIONS, "relation"),
    "民族": (vocab.ETHNICITIES, "ethnicity"),
    "文化程度": (vocab.EDUCATIONS, "education"),
    "在校生状况": (vocab.STUDENT_STATUSES, "student_status"),
    "健康状况": (vocab.HEALTH, "health"),
    "劳动技能": (vocab.LABOR_SKILLS, "labor_skill"),
    "务工状态": (vocab.EMPLOYMENT_STATUSES, "employment_status"),
    "户类型": (vocab.HOUSEHOLD_TYPES, "household_type"),
    "监测对象类型": (vocab.MONITORING_TYPES, "monitoring_type"),
    "意向务工地": (vocab.DESIRED_REGIONS, "desired_region"),
}
ENUM_SETS = {column: frozenset(allowed) for column, (allowed, _) in ENUMS.items()}
YES_NO = {"是": True, "否": False}
# 是/否 columns: the household's three flags and the person's 就业意愿 (empty: not known / not asked yet).
FLAGS = {
    "是否低保": "is_dibao",
    "是否特困": "is_tekun",
    "是否易地搬迁": "is_relocated",
    "就业意愿": "wants_work",
}
TEXTS = {"就业意向": ("job_wish", 100), "培训意愿": ("training_wish", 200), "技能特长": ("skills", 200)}
NO_WISH = {"无", "没有", "暂无", "否"}
# Whole-number columns: column → (lowest, highest) accepted.
RANGES = {
    "务工时间(月)": (0, 12),
    "期望月薪": (0, 200000),
    "脱贫年度": (min(vocab.POVERTY_EXIT_YEARS), max(vocab.POVERTY_EXIT_YEARS)),
}
INCOME_MAX = Decimal("10000000")  # 人均纯收入, yuan a year

_NAME_OK = re.compile(r"^[\u3400-\u9fff\U00020000-\U0003134fA-Za-z·]+$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


@dataclass(slots=True)
class PersonRecord:
    """A cleaned row: person fields, the household's fields and its village."""

    row_number: int
    village_code: str
    household_number: str
    name: str
    id_number: str
    relation: str
    sex: str
    birth_date: dt.date
    ethnicity: str = ""
    education: str = ""
    student_status: str = ""
    health: str = ""
    labor_skill: str = ""
    employment_status: str = ""
    work_months: int | None = None
    phone: str = ""
    job_wish: str = ""
    desired_region: str = ""
    expected_wage: int | None = None
    training_wish: str = ""
    skills: str = ""
    wants_work: bool | None = None
    # household
    household_type: str = ""
    monitoring_type: str = ""
    poverty_exit_year: int | None = None
    income_per_capita: Decimal | None = None
    is_dibao: bool | None = None
    is_tekun: bool | None = None
    is_relocated: bool | None = None


PERSON_FIELDS = (
    "name",
    "id_number",
    "relation",
    "sex",
    "birth_date",
    "ethnicity",
    "education",
    "student_status",
    "health",
    "labor_skill",
    "employment_status",
    "work_months",
    "phone",
    "job_wish",
    "desired_region",
    "expected_wage",
    "training_wish",
    "skills",
    "wants_work",
)
HOUSEHOLD_FIELDS = (
    "household_type",
    "monitoring_type",
    "poverty_exit_year",
    "income_per_capita",
    "is_dibao",
    "is_tekun",
    "is_relocated",
)
assert set(PERSON_FIELDS) | set(HOUSEHOLD_FIELDS) | {"row_number", "village_code", "household_number"} == {
    f.name for f in fields(PersonRecord)
}


# Record attribute → the §1 column it is read from (forms and the API speak in attributes).
FIELD_COLUMNS = {
    "village_code": AREA_CODE,
    "household_number": "户编号",
    "name": "姓名",
    "id_number": "证件号码",
    "relation": "与户主关系",
    "sex": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "education": "文化程度",
    "student_status": "在校生状况",
    "health": "健康状况",
    "labor_skill": "劳动技能",
    "employment_status": "务工状态",
    "work_months": "务工时间(月)",
    "phone": "联系电话",
    "job_wish": "就业意向",
    "desired_region": "意向务工地",
    "expected_wage": "期望月薪",
    "training_wish": "培训意愿",
    "skills": "技能特长",
    "wants_work": "就业意愿",
    "household_type": "户类型",
    "monitoring_type": "监测对象类型",
    "poverty_exit_year": "脱贫年度",
    "income_per_capita": "人均纯收入",
    "is_dibao": "是否低保",
    "is_tekun": "是否特困",
    "is_relocated": "是否易地搬迁",
}
COLUMN_FIELDS = {column: field for field, column in FIELD_COLUMNS.items()}


class AreaLookup:
    """Where a row's village is, inside the importing user's subtree.

    Built from (code, name, level, parent_code) of the subtree's current areas, the scope area included;
    `outside(code)` names an existing area elsewhere, so a message can tell "not yours" from "no such code".
    """

    def __init__(self, scope_code: str, scope_level: int, areas, outside=lambda code: None):
        self.scope_code, self.scope_level = scope_code, scope_level
        self.outside = outside
        self.level: dict[str, int] = {}
        self.parent: dict[str, str] = {}
        self.by_parent: dict[tuple[str, str], list[str]] = {}
        self.by_level: dict[tuple[int, str], list[str]] = {}
        self.name: dict[str, str] = {}
        self.children: dict[str, list[str]] = {}
        self._suggested: dict[tuple[str, tuple[str, ...]], str | None] = {}
        for code, name, level, parent in areas:
            self.level[code], self.parent[code], self.name[code] = level, parent, name
            self.children.setdefault(parent, []).append(code)
            for key in {name, _short_name(name)}:
                self.by_parent.setdefault((parent, key), []).append(code)
                self.by_level.setdefault((level, key), []).append(code)

    def by_code(self, raw: object) -> tuple[str | None, str | None]:
        code = _text(raw)
        if not code.isdigit() or len(code) != 12:
            return None, f"应为 12 位村级区划代码，实为“{code}”"
        level = self.level.get(code)
        if level == 5:
            return code, None
        if level is not None:
            return None, f"“{code}”不是村级代码，请填写 12 位村（社区）代码"
        elsewhere = self.outside(code)
        if elsewhere:
            return None, f"“{code}”（{elsewhere}）不在您的管辖区域内"
        return None, f"区划代码“{code}”不存在"

    def by_names(self, county: object, township: object, village: object) -> tuple[str | None, str | None]:
        county, township, village = _text(county), _text(township), _text(village)
        if not (township and village):
            return None, "未填写行政区划代码，也未填写乡(镇)和行政村名称"
        if self.scope_level >= 4:  # a township or village user: the township is known
            townships = [self.scope_code if self.scope_level == 4 else self.parent[self.scope_code]]
        else:
            townships = self.by_level.get((4, township), [])
            if county:
                counties = set(self.by_level.get((3, county), []))
                townships = [t for t in townships if self.parent.get(t) in counties]
            if not townships:
                where = f"“{county}”" if county else "您的管辖区域"
                near = self._near(township, ())
                return None, f"在{where}内找不到乡(镇)“{township}”" + (f"，是否为“{near}”？" if near else "")
        villages = [v for t in townships for v in self.by_parent.get((t, village), []) if self.level[v] == 5]
        if len(villages) == 1:
            return villages[0], None
        if not villages:
            near = self._near(village, tuple(townships))
            return None, f"在“{township}”找不到行政村“{village}”" + (f"，是否为“{near}”？" if near else "")
        return (
            None,
            f"“{township}{village}”不唯一（{len(villages)} 处），请填写县(市、区)或 12 位行政区划代码",
        )

    def _near(self, wanted: str, townships: tuple[str, ...]) -> str | None:
        """The one name, among the villages of `townships` (or, without them, the subtree's townships),
        that `wanted` most likely meant: the same name without or with another suffix (土地 → 土地村), one
        wrong character (two in longer names), or the same reading (土弟村 → 土地村). None when nothing is
        that close, or two are equally close. Only areas inside the user's subtree are ever named."""
        key = (wanted, townships)
        if key not in self._suggested:
            if townships:
                villages = (v for t in townships for v in self.children.get(t, ()))
                names = [self.name[v] for v in villages if self.level[v] == 5]
            else:
                names = [self.name[code] for code, level in self.level.items() if level == 4]
            self._suggested[key] = _nearest(wanted, sorted(set(names)))
        return self._suggested[key]


_AREA_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "社区", "街道", "村", "镇", "乡")


def _stem(name: str) -> str:
    """The name without its suffixes: 龙潭社区居委会 → 龙潭, 土地村 → 土地."""
    stripped = True
    while stripped:
        stripped = False
        for suffix in _AREA_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name, stripped = name[: -len(suffix)], True
                break
    return name


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 once it is certainly over `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _nearest(wanted: str, names: list[str]) -> str | None:
    from bangfu.registry.names import full_pinyin

    wanted = unicodedata.normalize("NFKC", wanted).replace(" ", "")
    if not wanted or not names:
        return None
    stem = _stem(wanted)
    stems = {name: _stem(name) for name in names}
    for same in (
        lambda name: stems[name] == stem,  # 土地 for 土地村, 龙潭 for 龙潭社区居委会
        lambda name: full_pinyin(stems[name]) == full_pinyin(stem),  # 土弟村 for 土地村: typed by sound
    ):
        found = [name for name in names if same(name)]
        if found:
            return found[0] if len(found) == 1 else None
    # A wrong character: never for two-character names, where one character is half the name.
    limit = 0 if len(stem) <= 2 else 1 if len(stem) <= 4 else 2
    scored = sorted((_distance(stem, stems[name], limit), name) for name in names)
    best = [name for d, name in scored if d == scored[0][0] and 0 < d <= limit]
    return best[0] if len(best) == 1 else None


def _short_name(name: str) -> str:
    """Committee suffixes dropped, so 龙门村 also matches 龙门村委会 and 龙门村民委员会."""
    for suffix in ("村民委员会", "村委会"):
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            return stem if stem.endswith("村") else stem + "村"
    for suffix in ("居民委员会", "居委会"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _fold(value: object) -> str:
    return unicodedata.normalize("NFKC", _text(value)).replace(" ", "")


def _int(value: object, column: str, low: int, high: int, errors: list[CellError]) -> int | None:
    if type(value) is str and value.isascii() and value.isdigit() and low <= int(value) <= high:
        return int(value)
    text = _fold(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        errors.append(CellError(column, value, f"应为 {low}–{high} 之间的整数"))
        return None
    if number != number.to_integral_value() or not low <= number <= high:
        errors.append(CellError(column, value, f"应为 {low}–{high} 之间的整数"))
        return None
    return int(number)


def parse_date(value: object) -> dt.date | None:
    """A date cell, or text such as 1990-01-31, 1990/1/31, 1990年1月31日, 19900131; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if type(value) is str and len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    text = _fold(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        if match := pattern.match(text):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    raise ValueError(text)


def clean_phone(value: object) -> str:
    if type(value) is str and len(value) == 11 and _MOBILE.match(value):
        return value
    text = _fold(value).replace("－", "-").replace("(", "").replace(")", "")
    if text.startswith("+86"):
        text = text[3:]
    digits = text.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(text) or (_LANDLINE.match(digits) and "-" not in text):
        return text
    raise ValueError(text)


def clean_row(
    cells: dict[str, object], areas: AreaLookup, *, row_number: int = 0, today: dt.date | None = None
):
    """(record, errors): the record when the row is valid, else None and every problem found."""
    errors: list[CellError] = []
    get = cells.get

    # Where: the 12-digit code wins; names are the other form.
    if _text(get(AREA_CODE)):
        village, problem = areas.by_code(get(AREA_CODE))
        column = AREA_CODE
    else:
        village, problem = areas.by_names(get(COUNTY), get(TOWNSHIP), get(VILLAGE))
        column = VILLAGE
    if problem:
        errors.append(CellError(column, get(column), problem))

    household_number = _text(get("户编号"))
    if not household_number:
        errors.append(CellError("户编号", get("户编号"), "户编号不能为空"))
    elif len(household_number) > 40:
        errors.append(CellError("户编号", household_number, "户编号过长（最多 40 个字符）"))

    name = (
        unicodedata.normalize("NFKC", _text(get("姓名")))
        .replace("•", "·")
        .replace("．", "·")
        .replace(" ", "")
    )
    if not name:
        errors.append(CellError("姓名", get("姓名"), "姓名不能为空"))
    elif len(name) > 50 or not _NAME_OK.match(name):
        errors.append(CellError("姓名", get("姓名"), "姓名只能由汉字、字母和间隔号“·”组成"))

    id_number = None
    try:
        id_number = parse_id_number(get("证件号码"), today=today)
    except IdNumberError as exc:
        errors.append(CellError("证件号码", get("证件号码"), exc.message))

    values: dict[str, object] = {}
    for column, (allowed, attr) in ENUMS.items():
        raw = get(column)
        if raw is None or raw in ENUM_SETS[column]:  # the usual case: exactly an allowed value, or empty
            values[attr] = raw or ""
            continue
        text = _fold(raw)
        if not text:
            values[attr] = ""
        elif text in allowed:
            values[attr] = text
        else:
            errors.append(CellError(column, get(column), f"只能填写：{'、'.join(allowed)}"))
    if not values.get("relation") and not any(e.column == "与户主关系" for e in errors):
        errors.append(CellError("与户主关系", get("与户主关系"), "与户主关系不能为空"))

    sex = get("性别")
    sex = sex if sex in ("男", "女", None) else _fold(sex)
    if sex and sex not in vocab.SEXES:
        errors.append(CellError("性别", get("性别"), "只能填写：男、女"))
        sex = ""
    birth = None
    try:
        birth = parse_date(get("出生日期"))
    except ValueError:
        errors.append(CellError("出生日期", get("出生日期"), "日期格式应为 1990-01-31"))
    if id_number is not None:
        for message in check_against(id_number, sex=sex or None, birth_date=birth):
            column = "性别" if message.startswith("性别") else "出生日期"
            errors.append(CellError(column, get(column), message))

    work_months = _int(get("务工时间(月)"), "务工时间(月)", *RANGES["务工时间(月)"], errors)
    expected_wage = _int(get("期望月薪"), "期望月薪", *RANGES["期望月薪"], errors)
    exit_year = _int(get("脱贫年度"), "脱贫年度", *RANGES["脱贫年度"], errors)

    income = None
    if text := _fold(get("人均纯收入")).replace(",", ""):
        try:
            income = Decimal(text)
            if income < 0 or income.is_nan() or income > INCOME_MAX:
                raise InvalidOperation
            income = income.quantize(Decimal("0.01"))
        except InvalidOperation:
            errors.append(CellError("人均纯收入", get("人均纯收入"), "应为不小于 0 的金额（元/年）"))
            income = None

    flags = {}
    for column, attr in FLAGS.items():
        raw = get(column)
        if raw is None or raw in YES_NO:
            flags[attr] = YES_NO.get(raw)
            continue
        text = _fold(raw)
        if text and text not in YES_NO:
            errors.append(CellError(column, get(column), "只能填写：是、否"))
        flags[attr] = YES_NO.get(text)

    phone = ""
    if _text(get("联系电话")):
        try:
            phone = clean_phone(get("联系电话"))
        except ValueError:
            errors.append(CellError("联系电话", get("联系电话"), "应为 11 位手机号码或带区号的固定电话"))

    texts = {}
    for column, (attr, limit) in TEXTS.items():
        text = _text(get(column))
        if column == "培训意愿" and text in NO_WISH:
            text = ""
        if len(text) > limit:
            errors.append(CellError(column, text[:20] + "…", f"最多 {limit} 个字"))
        texts[attr] = text

    if values.get("monitoring_type") and values.get("household_type") != "监测户":
        errors.append(
            CellError("监测对象类型", get("监测对象类型"), "只有户类型为“监测户”时才能填写监测对象类型")
        )
    if exit_year and values.get("household_type") == "一般农户":
        errors.append(CellError("脱贫年度", get("脱贫年度"), "一般农户不应填写脱贫年度"))

    if errors:
        return None, errors
    return PersonRecord(
        row_number=row_number,
        village_code=village,
        household_number=household_number,
        name=name,
        id_number=id_number.value,
        sex=id_number.sex,
        birth_date=id_number.birth_date,
        work_months=work_months,
        phone=phone,
        expected_wage=expected_wage,
        poverty_exit_year=exit_year,
        income_per_capita=income,
        **values,
        **flags,
        **texts,
    ), []
