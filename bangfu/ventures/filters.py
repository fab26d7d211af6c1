"""The FilterSet of ventures: the list page, the 自主创业台账 page, its API and export."""

import django_filters

from bangfu.registry.filters import AreaCodeFilter, search_q
from bangfu.ventures.models import Venture, VentureKind


class VentureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="创业人姓名/拼音首字母/证件号码后几位", method="filter_q")
    area = AreaCodeFilter(label="区域代码")
    kind = django_filters.ChoiceFilter(label="类型", choices=VentureKind.choices)
    year = django_filters.NumberFilter(
        label="创业年度", field_name="started_on", lookup_expr="year", min_value=1900, max_value=2999
    )

    class Meta:
        model = Venture
        fields = ["q", "area", "kind", "year"]

    def filter_q(self, qs, name, value):
        return qs.filter(search_q(value, prefix="person__"))
