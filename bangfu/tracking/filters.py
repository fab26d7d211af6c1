"""One FilterSet for the warning list page, its export and the API. Every filter narrows a queryset
that is already the user's scope (`Warning.objects.for_user`)."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from bangfu.core.params import IdFilter, as_id
from bangfu.registry.filters import AreaCodeFilter, search_q
from bangfu.tracking.models import OPEN_STATUSES, Warning, WarningKind, WarningStatus

STATUS_CHOICES = [("open", "未处理（待处理、处理中）"), *WarningStatus.choices]


class WarningFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/拼音首字母/证件号码后几位/户编号", method="filter_q")
    kind = django_filters.ChoiceFilter(label="预警类型", choices=WarningKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=STATUS_CHOICES, method="filter_status")
    area = AreaCodeFilter(label="区域代码")
    overdue = django_filters.ChoiceFilter(
        label="逾期", choices=[("1", "逾期未处理"), ("0", "未逾期")], method="filter_overdue"
    )
    assignee = django_filters.CharFilter(
        label="责任人（me 本人、none 未指定，或用户编号）", method="filter_assignee"
    )
    person = IdFilter(field_name="person_id", label="人员")
    household = IdFilter(field_name="household_id", label="户")

    class Meta:
        model = Warning
        fields = ["q", "kind", "status", "area", "overdue", "assignee", "person", "household"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(search_q(value, prefix="person__") | Q(household__number=value))

    def filter_status(self, qs, name, value):
        if value == "open":
            return qs.filter(status__in=OPEN_STATUSES)
        return qs.filter(status=value) if value else qs

    def filter_overdue(self, qs, name, value):
        late = Q(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
        if value == "1":
            return qs.filter(late)
        if value == "0":
            return qs.exclude(late)
        return qs

    def filter_assignee(self, qs, name, value):
        value = value.strip()
        user = getattr(self.request, "user", None)
        if value == "me" and user is not None and user.is_authenticated:
            return qs.filter(assignee=user)
        if value == "none":
            return qs.filter(assignee__isnull=True)
        if (user_id := as_id(value)) is not None:
            return qs.filter(assignee_id=user_id)
        return qs.none() if value else qs
