"""The findings list as a spreadsheet, one line per finding (a fill: one per person), as an export kind
(exports/kinds.py): written in the request when small, else in the background. Whole ID numbers only for
users who may see them."""

from __future__ import annotations

from itertools import batched

from django.core.exceptions import ValidationError
from django.utils import timezone

from bangfu.core.idnumber import mask_id
from bangfu.exports.kinds import ExportKind, Table

EXPORT_HEADER = (
    "批次",
    "比对数据类型",
    "类型",
    "变更类型",
    "处理状态",
    "源行号",
    "姓名",
    "证件号码",
    "所属区域",
    "匹配方式",
    "匹配概率",
    "差异",
    "差异字段",
    "处理结果",
    "处理人",
    "处理时间",
    "自动应用",
)


def finding_rows(queryset, sensitive: bool):
    """The lines of `queryset`'s findings: with the source rows of findings that have no person (their ID
    is the source's), the people of fill findings, and an ambiguous row's candidates side by side."""
    from bangfu.compare.api import candidate_people
    from bangfu.compare.models import FillPerson
    from bangfu.compare.rowsfile import covered_rows

    def findings():
        for chunk in batched(queryset.iterator(chunk_size=2000), 2000):
            cells = covered_rows(f for f in chunk if f.person_id is None and not f.is_fill)
            people: dict[int, list] = {}
            fills = [f.pk for f in chunk if f.is_fill]
            for member in (
                FillPerson.objects.filter(finding_id__in=fills)
                .select_related("person")
                .order_by("finding_id", "row_no")
            ):
                people.setdefault(member.finding_id, []).append(member)
            candidates = candidate_people(chunk)
            for f in chunk:
                yield f, cells.get(f.pk, [{}])[0], people.get(f.pk, ()), candidates

    def row(f, row_no, name, id_number, difference, outcome, differs=""):
        return (
            f.run_id,
            f.run.get_source_type_display(),
            f.get_kind_display(),
            f.get_change_display(),
            f.get_status_display(),
            row_no or "",
            name,
            id_number if sensitive else mask_id(id_number),
            f.area_id,
            f.method,
            "" if f.probability is None else round(f.probability, 4),
            difference,
            differs,
            outcome,
            f.decided_by.display_name if f.decided_by else "",
            timezone.localtime(f.decided_at).strftime("%Y-%m-%d %H:%M") if f.decided_at else "",
            "是" if f.automatic else "",
        )

    for f, cells, people, candidates in findings():
        if f.is_fill:  # a line per person, with what is proposed for them
            for member in people:
                outcome = member.outcome or ("审核时排除" if member.excluded else "")
                yield row(f, member.row_no, member.person.name, member.person.id_number,
                          f"名册补录：{f.advice}", outcome)  # fmt: skip
            continue
        id_number = f.registry_shown.get("证件号码") or cells.get("证件号码") or ""
        difference = f.difference if sensitive else f.summary_public
        if f.candidates:  # 待核实: the candidates side by side, as the page lists them
            listed = [
                (candidates[c["person"]], c["probability"]) for c in f.candidates if c["person"] in candidates
            ]
            shown = [
                (p.name, p.id_number if sensitive else mask_id(p.id_number), p.area_id, share)
                for p, share in listed
            ]
            difference += "；候选人：" + "、".join(
                f"{name}（{number}，{area}，概率 {share:.3f}）" for name, number, area, share in shown
            )
        yield row(f, f.row_no, f.name, id_number, difference, f.outcome, "、".join(f.differs))


def export_table(user, area, params, sensitive: bool) -> Table:
    """The findings page's list (FindingFilter over the user's findings in `area`)."""
    from bangfu.compare.filters import FindingFilter
    from bangfu.compare.models import FillPerson, Finding, Kind

    scoped = Finding.objects.for_user(user).for_area(area)
    filterset = FindingFilter(params, queryset=scoped.select_related("run", "area", "person", "decided_by"))
    if not filterset.is_valid():
        raise ValidationError("筛选条件有误，请先改正后再导出。")
    queryset = filterset.qs.order_by(*Finding._meta.ordering)

    def count() -> int:  # a fill is a line per person
        people = FillPerson.objects.filter(finding__in=queryset.filter(kind=Kind.FILL).values("pk"))
        return queryset.exclude(kind=Kind.FILL).count() + people.count()

    return Table(EXPORT_HEADER, rows=lambda: finding_rows(queryset, sensitive), count=count)


EXPORT_KIND = ExportKind(key="findings", title="比对结果", build=export_table)
