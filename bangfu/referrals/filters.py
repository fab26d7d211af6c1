"""One FilterSet for the referral list page and the API. Every filter narrows a scoped queryset."""

import django_filters
from django.db.models import Q

from bangfu.core.params import IdFilter, as_id
from bangfu.referrals.models import Referral, Status
from bangfu.registry.filters import AreaCodeFilter, search_q


class ReferralFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="劳动力（姓名/拼音首字母/证件号码后几位）", method="filter_q")
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices)
    area = AreaCodeFilter(label="区域代码")
    job = django_filters.CharFilter(label="岗位（编号、名称或单位）", method="filter_job")
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="推荐日期从"
    )
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="到")
    auto = django_filters.BooleanFilter(label="系统自动推荐")
    fair = IdFilter(field_name="fair_id", label="招聘会")
    person = IdFilter(field_name="person_id", label="劳动力")

    class Meta:
        model = Referral
        fields = ["q", "status", "area", "job", "created_after", "created_before", "auto", "fair", "person"]

    def filter_q(self, qs, name, value):
        return qs.filter(search_q(value, prefix="person__"))

    def filter_job(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if (job_id := as_id(value)) is not None:
            return qs.filter(Q(job_id=job_id) | Q(job__number=value))
        return qs.filter(
            Q(job__number=value) | Q(job__title__contains=value) | Q(job__employer__name__contains=value)
        )
