"""One FilterSet for job fairs: the 招聘会台账 page, API and export; it narrows a `for_user` queryset."""

import django_filters

from bangfu.fairs.models import FairKind, FairStatus, JobFair
from bangfu.registry.filters import AreaCodeFilter


class FairFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="contains", label="名称")
    kind = django_filters.ChoiceFilter(label="类型", choices=FairKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=FairStatus.choices)
    area = AreaCodeFilter(label="举办地代码")
    since = django_filters.DateFilter(field_name="starts_at__date", lookup_expr="gte", label="开始日期从")
    until = django_filters.DateFilter(field_name="starts_at__date", lookup_expr="lte", label="开始日期到")

    class Meta:
        model = JobFair
        fields = []
