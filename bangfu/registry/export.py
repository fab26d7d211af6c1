"""Registry export in the EXCHANGE.md §1 columns, so an exported file imports back unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ValidationError

from bangfu.exchange.report import write_table
from bangfu.exports.kinds import ExportKind, Table
from bangfu.registry.rows import EXPORT_COLUMNS

# Column → the value path on Person, in EXPORT_COLUMNS order.
SOURCES = {
    "行政区划代码": "area_id",
    "户编号": "household__number",
    "姓名": "name",
    "证件号码": "id_number",
    "与户主关系": "relation",
    "性别": "sex",
    "出生日期": "birth_date",
    "民族": "ethnicity",
    "文化程度": "education",
    "在校生状况": "student_status",
    "健康状况": "health",
    "劳动技能": "labor_skill",
    "务工状态": "employment_status",
    "务工时间(月)": "work_months",
    "联系电话": "phone",
    "户类型": "household__household_type",
    "监测对象类型": "household__monitoring_type",
    "脱贫年度": "household__poverty_exit_year",
    "人均纯收入": "household__income_per_capita",
    "是否低保": "household__is_dibao",
    "是否特困": "household__is_tekun",
    "是否易地搬迁": "household__is_relocated",
    "就业意向": "job_wish",
    "意向务工地": "desired_region",
    "期望月薪": "expected_wage",
    "培训意愿": "training_wish",
    "技能特长": "skills",
    "就业意愿": "wants_work",
}
assert tuple(SOURCES) == EXPORT_COLUMNS


def _cell(value) -> str:
    from bangfu.registry.actions import display

    return display(value)


def export_rows(people) -> Iterator[list[str]]:
    paths = list(SOURCES.values())
    rows = people.order_by("area_id", "household__number", "id").values_list(*paths)
    for values in rows.iterator(chunk_size=5000):
        yield [_cell(v) for v in values]


def export_registry(people, path: Path, file_format: str | None = None) -> int:
    """Write `people` (already limited by `for_user` or `for_area`) to .xlsx or .csv; returns rows written."""
    return write_table(Path(path), list(EXPORT_COLUMNS), export_rows(people), file_format=file_format)


EXPORT_DENIED = "导出名册会带出完整的证件号码和联系电话，您没有查看完整敏感信息的权限，不能导出。"
BAD_FILTERS = "筛选条件有误，请先改正后再导出。"


def export_table(user, area, params, sensitive: bool) -> Table:
    """The people page's list (PersonFilter over the user's people in `area`) in the §1 columns."""
    from bangfu.registry.filters import PersonFilter
    from bangfu.registry.models import Person

    filterset = PersonFilter(params, queryset=Person.objects.for_user(user).for_area(area))
    if not filterset.is_valid():  # an ignored condition would export more than the list shows
        raise ValidationError(BAD_FILTERS)
    people = filterset.qs
    return Table(list(EXPORT_COLUMNS), rows=lambda: export_rows(people), count=people.count)


# Full ID numbers and phones leave the system in a file that imports back: only users who may see them.
EXPORT_KIND = ExportKind(
    key="registry",
    title="名册",
    noun="人",
    build=export_table,
    refusal=lambda user: "" if user.can_view_sensitive else EXPORT_DENIED,
    sensitive=lambda user: True,
)
