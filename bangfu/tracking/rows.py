"""One row of a follow-up visits file (EXCHANGE §6) checked and turned into a VisitRow. Plain Python, no
Django: whether the person is in the importing area is the importer's question (tracking/importer.py)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bangfu.core.idnumber import IdNumberError, parse_id_number
from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import Column
from bangfu.registry.rows import parse_date

ID, NAME, DAY, METHOD, RESULT, NOTE = "证件号码", "姓名", "回访日期", "回访方式", "回访结果", "备注"

COLUMNS = (
    Column(ID, required=True, aliases=("身份证号", "身份证号码", "公民身份号码")),
    Column(NAME, required=True),
    Column(DAY, required=True, aliases=("回访时间", "走访日期")),
    Column(METHOD, required=True, aliases=("回访形式",)),
    Column(RESULT, required=True, aliases=("回访情况",)),
    Column(NOTE, aliases=("说明", "情况说明")),
)
COLUMN_NAMES = [column.name for column in COLUMNS]

# The values of EXCHANGE §6 (tracking.models.VisitMethod and VisitResult hold the same).
METHODS = ("电话", "微信", "上门", "窗口")
RESULTS = ("在岗", "已离职", "返乡", "不愿就业", "联系不上")
NOTE_LIMIT = 300
FIRST_DAY = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class VisitRow:
    id_number: str
    name: str
    visited_on: dt.date
    method: str
    result: str
    note: str = ""

    @property
    def key(self) -> tuple[str, dt.date, str]:
        """What identifies a visit (§6): importing the same key again updates that visit."""
        return self.id_number, self.visited_on, self.method


def _fold(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "").strip()


def _choice(value: object, column: str, allowed: tuple[str, ...], errors: list[CellError]) -> str:
    text = _fold(value)
    if not text:
        errors.append(CellError(column, value, "必填"))
    elif text not in allowed:
        errors.append(CellError(column, value, f"只能填写：{'、'.join(allowed)}"))
    else:
        return text
    return ""


def clean_visit_row(
    cells: Mapping[str, object], *, today: dt.date
) -> tuple[VisitRow | None, list[CellError]]:
    errors: list[CellError] = []
    get = cells.get
    id_number = ""
    try:
        id_number = parse_id_number(get(ID), today=today).value
    except IdNumberError as exc:
        errors.append(CellError(ID, get(ID), exc.message))
    name = _fold(get(NAME)).replace("•", "·").replace("．", "·")
    if not name:
        errors.append(CellError(NAME, get(NAME), "必填"))
    day = None
    raw_day = get(DAY)
    try:
        day = parse_date(raw_day)
    except ValueError:
        errors.append(CellError(DAY, raw_day, "不是有效日期，请写成 2026-05-31"))
    else:
        if day is None:
            errors.append(CellError(DAY, raw_day, "必填"))
        elif day > today:
            errors.append(CellError(DAY, raw_day, f"回访日期不能晚于今天（{today:%Y-%m-%d}）"))
        elif day < FIRST_DAY:
            errors.append(CellError(DAY, raw_day, f"回访日期不能早于 {FIRST_DAY:%Y-%m-%d}"))
    method = _choice(get(METHOD), METHOD, METHODS, errors)
    result = _choice(get(RESULT), RESULT, RESULTS, errors)
    raw_note = get(NOTE)
    note = "" if raw_note is None else str(raw_note).strip()
    if len(note) > NOTE_LIMIT:
        errors.append(CellError(NOTE, raw_note, f"不能超过 {NOTE_LIMIT} 个字"))
    if errors:
        return None, errors
    return VisitRow(id_number, name, day, method, result, note), []
