"""One FilterSet for the employers ledger page and its API; it narrows a `for_user` queryset."""

import django_filters
from django.db.models import Q

from bangfu.employers.creditcode import normalize
from bangfu.employers.models import Employer, EmployerKind
from bangfu.registry.filters import AreaCodeFilter


class EmployerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="单位名称或统一社会信用代码", method="filter_q")
    kind = django_filters.ChoiceFilter(label="类型", choices=EmployerKind.choices)
    area = AreaCodeFilter(label="所在地代码")

    class Meta:
        model = Employer
        fields = []

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        code = normalize(value)
        if code.isalnum() and code.isascii() and len(code) >= 4:
            return qs.filter(Q(credit_code__startswith=code) | Q(name__contains=value))
        return qs.filter(name__contains=value)
