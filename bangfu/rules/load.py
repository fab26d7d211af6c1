"""Reading a rules file (EXCHANGE §9: rows 规则, 区域代码, 生效日期, 参数, 值, and the platform's
optional 认定类别) into rule versions: phase one of `bangfu rules load` and of the upload on the 政策规则
page. It writes nothing; `actions.load_versions` saves what it accepts.

The rows of one (规则, 区域代码, 认定类别, 生效日期) make one version (认定类别 empty: a plain
version); a version is taken whole or not at all, so a problem in one of its rows rejects its other rows
too, each saying why. A parameter a version leaves out takes its default (kinds.py); one without a default
must be given. A version already stored with the same values is left as it is (loading a file again
changes nothing); with other values it is refused once it has taken effect (versions in force never
change), and replaces the stored one while it is still to come.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from bangfu.areas.kinds import NAMES as KIND_NAMES
from bangfu.areas.kinds import kind_of
from bangfu.areas.models import Area
from bangfu.core.rules import PREFIX_LENGTHS, region_code, region_prefix_of
from bangfu.exchange.report import CellError, RowProblem
from bangfu.exchange.spreadsheet import as_text, open_sheet
from bangfu.registry.rows import parse_date
from bangfu.rules.kinds import (
    COLUMNS,
    DATE,
    DESIGNATION,
    KINDS,
    NATION,
    NOTE,
    PARAM,
    REGION,
    RULE,
    VALUE,
    Kind,
    kind_named,
    planned_named,
)

SEPARATORS = re.compile(r"[,，、;；\s]+")
UNITS = ("周岁", "岁", "天", "日", "元/年", "元/月", "元", "次", "个", "人", "分")
YES_NO = {"是": True, "否": False}
PAST_DATES_ON_THE_PAGE = (
    "网页上导入的版本只能今天或以后生效：已生效的规则不能更改；"
    "过去日期的版本（如补录历年政策）由系统管理员用命令 bangfu rules load 导入"
)


@dataclass
class Version:
    """One version as a file gives it: the kind, the region prefix, the day, and every field's value."""

    kind: Kind
    prefix: str
    effective_from: dt.date
    designation: str = ""  # a designation kind's slug (areas/designations.py KINDS), "" for a plain version
    values: dict[str, object] = field(default_factory=dict)  # field → value, defaults filled in
    note: str = ""
    rows: list = field(default_factory=list)  # (row number, raw cells, parameter field) per row
    stored: object | None = None  # the version already stored under the same key, if any

    @property
    def key(self) -> tuple[str, str, str, dt.date]:
        return self.kind.slug, self.prefix, self.designation, self.effective_from

    def describe(self) -> str:
        where = self.prefix or NATION
        if self.designation:
            where += f"的{designation_name(self.designation)}"
        return f"{self.kind.name}（{where}，{self.effective_from:%Y-%m-%d} 起）"


@dataclass
class Validation:
    header: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total_rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    versions: list[Version] = field(default_factory=list)  # accepted: new ones and changed scheduled ones
    unchanged: list[Version] = field(default_factory=list)  # stored already with the same values

    @property
    def error_rows(self) -> int:
        return len({p.row_number for p in self.problems})


def validate_rules_file(
    path: Path, *, actor=None, allow_past: bool, today: dt.date | None = None
) -> Validation:
    """Read and check every row of a rules file. `actor` None is the command (any region); a user may load
    the regions `rules.actions.can_set_rules` lets them set. SpreadsheetError when the file is unusable."""
    from bangfu.rules.actions import can_set_rules

    today = today or timezone.localdate()
    sheet = open_sheet(path, COLUMNS)
    validation = Validation(header=sheet.header)
    areas = _Areas()
    groups: dict[tuple[str, str, str, dt.date], Version] = {}
    rejected_keys: dict[
        tuple[str, str, str, dt.date], int
    ] = {}  # a version with a bad row: that row's number
    for row in sheet.rows():
        validation.total_rows += 1
        errors: list[CellError] = []
        get = row.cells.get
        kind = _kind(get(RULE), errors)
        prefix = areas.prefix(get(REGION), errors)
        designation = _designation(get(DESIGNATION), errors)
        day = _day(get(DATE), errors)
        if day is not None and not allow_past and day < today:
            errors.append(CellError(DATE, get(DATE), PAST_DATES_ON_THE_PAGE))
        if kind is None or prefix is None or day is None or designation is None:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
            continue
        if actor is not None and not can_set_rules(actor, prefix):
            errors.append(
                CellError(REGION, get(REGION), "您不能为该区域设定规则（只能设定本辖区及下级区域的规则）")
            )
        version = groups.setdefault(
            (kind.slug, prefix, designation, day), Version(kind, prefix, day, designation)
        )
        param = kind.param(as_text(get(PARAM)).strip())
        name = param.field if param else None
        if param is None:
            errors.append(CellError(PARAM, get(PARAM), _no_such_param(kind)))
        elif any(f == name for _, _, f in version.rows):
            first = next(n for n, _, f in version.rows if f == name)
            errors.append(CellError(PARAM, get(PARAM), f"同一版本中重复（第 {first} 行已填写该参数）"))
            name = None
        else:
            value = _value(kind, name, get(VALUE), errors)
            if value is not None:
                version.values[name] = value
        note = as_text(get(NOTE)).strip()
        if len(note) > 200:
            errors.append(CellError(NOTE, get(NOTE), "不能超过 200 个字"))
        elif note and not version.note:
            version.note = note
        version.rows.append((row.number, row.raw, name))
        if errors:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
            rejected_keys.setdefault(version.key, row.number)
    validation.warnings = list(sheet.warnings)

    _attach_stored(groups.values())
    for key, version in groups.items():
        if key in rejected_keys:
            _reject_rest(validation, version, rejected_keys[key])
            continue
        problems = _check_version(version, today)
        if problems:
            validation.problems.extend(problems)
            continue
        if version.stored is not None and _same(version, version.stored):
            validation.unchanged.append(version)
        else:
            validation.versions.append(version)
    validation.problems.sort(key=lambda p: p.row_number)
    return validation


# --- one row -------------------------------------------------------------------------------------------


def _kind(value, errors: list[CellError]) -> Kind | None:
    name = as_text(value).strip()
    if not name:
        errors.append(CellError(RULE, value, "必填"))
        return None
    kind = kind_named(name)
    if kind is not None:
        return kind
    planned = planned_named(name)
    if planned is not None:
        errors.append(
            CellError(
                RULE,
                value,
                f"平台尚未提供“{planned}”规则（数据交换规范 §9 已列出，以后的版本提供），本行未导入",
            )
        )
    else:
        known = "、".join(kind.name for kind in KINDS)
        errors.append(CellError(RULE, value, f"没有这种规则；可填写：{known}"))
    return None


class _Areas:
    """区域代码 → region prefix, each code looked up once."""

    def __init__(self):
        self.known: dict[str, Area | None] = {}

    def area(self, code: str) -> Area | None:
        if code not in self.known:
            self.known[code] = Area.objects.filter(code=code).first()
        return self.known[code]

    def prefix(self, value, errors: list[CellError]) -> str | None:
        raw = as_text(value).strip().replace(" ", "")
        if raw.endswith(".0"):  # a number cell read as a float
            raw = raw[:-2]
        if raw in ("", NATION, "000000000000"):
            return ""
        if not (raw.isascii() and raw.isdigit()) or len(raw) not in PREFIX_LENGTHS:
            errors.append(CellError(REGION, value, "应为 2、4、6、9 或 12 位区划代码（前缀），全国留空"))
            return None
        if len(raw) == 12:  # a full code: the area's own prefix (430000000000 → 43)
            area = self.area(raw)
            if area is None:
                errors.append(CellError(REGION, value, "没有这个区划代码（是否已载入区划？）"))
                return None
            return region_prefix_of(area)
        area = self.area(region_code(raw))
        if area is None:
            errors.append(CellError(REGION, value, "没有以此为代码前缀的区划"))
            return None
        if region_prefix_of(area) != raw:
            errors.append(
                CellError(
                    REGION, value, f"不是一个区划的代码前缀；{area.name}的代码前缀是 {region_prefix_of(area)}"
                )
            )
            return None
        return raw


def _designation(value, errors: list[CellError]) -> str | None:
    """认定类别: "" for a plain version, a kind's slug, None (and an error) for a name no kind has."""
    name = as_text(value).strip()
    if not name:
        return ""
    try:
        return kind_of(name)
    except ValueError as exc:
        errors.append(CellError(DESIGNATION, value, str(exc)))
        return None


def designation_name(slug: str) -> str:
    return KIND_NAMES.get(slug, slug)


def _day(value, errors: list[CellError]) -> dt.date | None:
    try:
        day = parse_date(value)
    except (ValueError, TypeError):
        errors.append(CellError(DATE, value, "不是有效的日期（写成如 2026-01-01）"))
        return None
    if day is None:
        errors.append(CellError(DATE, value, "必填"))
    return day


def _no_such_param(kind: Kind) -> str:
    return f"规则“{kind.name}”没有这个参数；可填写：{'、'.join(p.name for p in kind.params)}"


def _value(kind: Kind, name: str, value, errors: list[CellError]):
    """The value a cell gives a field, as the model stores it; None (and an error) when it cannot."""
    model_field = kind.model._meta.get_field(name)
    try:
        return parse_value(model_field, value)
    except ValueError as exc:
        errors.append(CellError(VALUE, value, str(exc)))
        return None


def parse_value(model_field: models.Field, value):
    """A cell (or a parameter's default as kinds.py writes it) as the field's value; ValueError (Chinese)."""
    text = as_text(value).strip()
    if isinstance(model_field, models.JSONField):
        return [word for word in SEPARATORS.split(text) if word]
    if not text:
        raise ValueError("必填")
    if isinstance(model_field, models.BooleanField):
        if text not in YES_NO:
            raise ValueError("只能填写：是、否")
        return YES_NO[text]
    if model_field.choices:
        allowed = [str(choice) for choice, _ in model_field.flatchoices]
        if text not in allowed:
            raise ValueError(f"只能填写：{'、'.join(allowed)}")
        return text
    number = text.replace(",", "")
    for unit in UNITS:
        if number.endswith(unit):
            number = number[: -len(unit)].strip()
            break
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise ValueError("应为数字") from None
    if not amount.is_finite():
        raise ValueError("应为数字")
    if isinstance(model_field, models.FloatField):
        return float(amount)
    if isinstance(model_field, models.DecimalField):
        return amount
    if amount != amount.to_integral_value():
        raise ValueError("应为整数")
    return int(amount)


# --- one version ---------------------------------------------------------------------------------------


def _attach_stored(versions) -> None:
    """Each version's stored twin (same kind, region and day), one query per kind."""
    by_kind: dict[str, list[Version]] = {}
    for version in versions:
        by_kind.setdefault(version.kind.slug, []).append(version)
    for group in by_kind.values():
        model = group[0].kind.model
        stored = model.objects.filter(
            region_prefix__in={v.prefix for v in group}, effective_from__in={v.effective_from for v in group}
        )
        found = {(r.region_prefix, r.designation, r.effective_from): r for r in stored}
        for version in group:
            version.stored = found.get((version.prefix, version.designation, version.effective_from))


def _reject_rest(validation: Validation, version: Version, bad_row: int) -> None:
    failed = {p.row_number for p in validation.problems}
    for number, raw, _ in version.rows:
        if number not in failed:
            reason = f"同一版本（{version.describe()}）第 {bad_row} 行有错误，整个版本未导入"
            validation.problems.append(RowProblem(number, raw, [CellError(None, None, reason)]))


def _everywhere(version: Version, message: str) -> list[RowProblem]:
    return [RowProblem(number, raw, [CellError(None, None, message)]) for number, raw, _ in version.rows]


def _check_version(version: Version, today: dt.date) -> list[RowProblem]:
    """Fill in the defaults, check the whole version as the model does, and against the stored one."""
    kind = version.kind
    missing = []
    for param in kind.params:
        if param.field not in version.values:
            if param.required:
                missing.append(param.name)
            else:
                version.values[param.field] = parse_value(
                    kind.model._meta.get_field(param.field), param.default
                )
    if missing:
        return _everywhere(
            version, f"{version.describe()}缺少参数：{'、'.join(missing)}（该参数没有默认值，必须填写）"
        )
    rule = kind.model(
        region_prefix=version.prefix,
        designation=version.designation,
        effective_from=version.effective_from,
        **version.values,
    )
    try:
        rule.clean_fields(exclude=["created_by", "note"])
        rule.clean()
        for constraint in kind.model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                constraint.validate(kind.model, rule)
    except ValidationError as exc:
        return _field_problems(version, exc)
    stored = version.stored
    if stored is not None and not _same(version, stored) and stored.has_taken_effect(today):
        changed = [
            f"{p.name}现为 {_shown(getattr(stored, p.field))}，文件为 {_shown(version.values[p.field])}"
            for p in kind.params
            if not _equal(getattr(stored, p.field), version.values[p.field])
        ]
        return _everywhere(
            version,
            f"{version.describe()}已生效，不能修改（{'；'.join(changed)}）。"
            "调整标准请用新的生效日期新增一个版本",
        )
    return []


def _field_problems(version: Version, exc: ValidationError) -> list[RowProblem]:
    problems = []
    messages = getattr(exc, "message_dict", {None: exc.messages})
    by_field = {f: (number, raw) for number, raw, f in version.rows if f}
    whole = []
    for name, texts in messages.items():
        if name in by_field:
            number, raw = by_field[name]
            value = version.values.get(name)
            problems.append(RowProblem(number, raw, [CellError(VALUE, _shown(value), "；".join(texts))]))
        else:
            whole += texts
    if whole:
        problems += _everywhere(version, f"{version.describe()}：{'；'.join(whole)}")
    elif problems:
        bad = problems[0].row_number
        problems += [
            p
            for p in _everywhere(
                version, f"同一版本（{version.describe()}）第 {bad} 行有错误，整个版本未导入"
            )
            if p.row_number not in {q.row_number for q in problems}
        ]
    return problems


def _equal(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and float(a) == float(b)
    return a == b


def _same(version: Version, stored) -> bool:
    return all(_equal(getattr(stored, name), value) for name, value in version.values.items())


def _shown(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（空）"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def value_text(value) -> str:
    """A stored value as a rules file writes it (export): loading it back gives the same value."""
    return "" if value == [] else _shown(value)
