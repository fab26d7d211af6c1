"""Warnings as a file (EXCHANGE §7): one row per warning — 证件号码 (empty for a household warning), 户编号,
预警类型, 预警日期, 说明 — for `bangfu warnings scan --out` and the list page's export (which adds the
work columns and masks ID numbers for users who may not see them whole)."""

from __future__ import annotations

from collections.abc import Iterator

from bangfu.core.idnumber import mask_id
from bangfu.exchange.report import write_table

HEADER = ("证件号码", "户编号", "预警类型", "预警日期", "说明")
WORK_HEADER = (*HEADER, "姓名", "所在村", "状态", "帮扶责任人", "处理期限", "解除或关闭原因")


def rows(warnings) -> Iterator[tuple]:
    """The §7 columns of `warnings` (a queryset), read without model objects."""
    fields = ("person__id_number", "household__number", "kind", "raised_on", "detail")
    yield from warnings.order_by("area_id", "kind", "id").values_list(*fields).iterator(chunk_size=5000)


def write(path, warnings) -> int:
    return write_table(path, HEADER, rows(warnings))


def work_rows(warnings, *, masked: bool) -> Iterator[tuple]:
    fields = (
        "person__id_number", "household__number", "kind", "raised_on", "detail", "person__name",
        "area__name", "status", "assignee__name", "assignee__username", "due_on", "end_reason",
    )  # fmt: skip
    for row in warnings.values_list(*fields).iterator(chunk_size=5000):
        id_number = row[0] or ""
        yield (
            mask_id(id_number) if masked and id_number else id_number,
            *row[1:8],
            row[8] or row[9] or "（未指定）",
            row[10],
            row[11],
        )


def write_work(path, warnings, *, masked: bool, file_format: str | None = None) -> int:
    return write_table(path, WORK_HEADER, work_rows(warnings, masked=masked), file_format=file_format)
