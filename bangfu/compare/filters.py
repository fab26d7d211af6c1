"""One set of filters for the findings page, its bulk decisions, its export and the API, so that "all
matching" means the same everywhere. It narrows a queryset that already starts from `for_user`."""

import django_filters
from django.db.models import Q

from bangfu.compare.models import ChangeKind, ComparisonRun, Finding, Kind, Status
from bangfu.core.params import IdFilter
from bangfu.registry.filters import prefix_range


class FindingFilter(django_filters.FilterSet):
    run = IdFilter(field_name="run_id", label="比对批次")
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label="类型", empty_label="全部")
    change = django_filters.ChoiceFilter(choices=ChangeKind.choices, label="变更类型", empty_label="全部")
    status = django_filters.ChoiceFilter(choices=Status.choices, label="处理状态", empty_label="全部")
    area = django_filters.CharFilter(method="filter_area", label="区域代码")
    q = django_filters.CharFilter(method="filter_q", label="姓名")

    class Meta:
        model = Finding
        fields = ["run", "kind", "change", "status", "area", "q"]

    def filter_area(self, queryset, name, value):
        code = value.strip()
        return queryset.filter(prefix_range("area_id", code)) if code.isdigit() else queryset.none()

    def filter_q(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(Q(name__startswith=text)) if text else queryset


class RunFilter(django_filters.FilterSet):
    source_type = django_filters.ChoiceFilter(
        choices=ComparisonRun._meta.get_field("source_type").choices, label="比对数据类型", empty_label="全部"
    )

    class Meta:
        model = ComparisonRun
        fields = ["source_type", "status"]


def filters_shown(filters: dict) -> str:
    """Findings page filters (a bulk decision's, say) as the page names them (比对批次 12，类型 冲突, …)."""
    form = FindingFilter(filters).form
    parts = []
    for name, field in form.fields.items():
        value = filters.get(name)
        if value in (None, ""):
            continue
        choices = dict(getattr(field, "choices", ()) or ())
        parts.append(f"{field.label} {choices.get(value, value)}")
    return "，".join(parts) or "全部"
