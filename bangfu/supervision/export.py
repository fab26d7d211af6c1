"""The rectification ledger (整改台账) as a file: one row per problem, the columns the page shows, read
without model objects."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from bangfu.exchange.report import write_table
from bangfu.supervision.models import OPEN_RECT

HEADER = (
    "编号", "责任区域代码", "责任区域", "责任单位", "问题", "问题来源", "来源督办任务", "来源预警编号",
    "整改措施", "整改时限", "整改状态", "是否逾期", "整改完成日期", "销号日期", "销号说明", "登记时间",
)  # fmt: skip
FIELDS = (
    "id", "area_id", "area__name", "unit", "problem", "source", "task__title", "warning_id", "measures",
    "deadline", "status", "done_on", "closed_on", "close_note", "created_at",
)  # fmt: skip


def rows(items) -> Iterator[tuple]:
    today = timezone.localdate()
    for row in items.values_list(*FIELDS).iterator(chunk_size=2000):
        values = dict(zip(FIELDS, row, strict=True))
        overdue = values["status"] in OPEN_RECT and values["deadline"] < today
        yield (
            *row[:6],
            values["task__title"] or "",
            values["warning_id"] or "",
            values["measures"],
            values["deadline"],
            values["status"],
            "逾期" if overdue else "",
            values["done_on"],
            values["closed_on"],
            values["close_note"],
            timezone.localtime(values["created_at"]).strftime("%Y-%m-%d %H:%M"),
        )


def write_ledger(path, items, *, file_format: str) -> int:
    return write_table(path, HEADER, rows(items), file_format=file_format)
