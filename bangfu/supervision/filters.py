"""The FilterSets of 督办: one for the receiving areas' list (the overdue roll-up is its 逾期 status), one
for the tasks sent, one for the rectification ledger — each serving its page, the API and (the ledger)
the export. Every filter narrows a queryset that is already the user's scope (`for_user`)."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from bangfu.core.params import IdFilter
from bangfu.registry.filters import AreaCodeFilter
from bangfu.supervision.models import (
    Assignment,
    Rectification,
    RectStatus,
    Reply,
    Review,
    Source,
    Status,
    Task,
    rect_overdue_q,
    status_q,
)

OPEN = "open"
ASSIGNMENT_STATUSES = [(OPEN, "未办结（未办理、办理中、逾期）"), *Status.choices]


class AssignmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="标题或内容", method="filter_q")
    status = django_filters.ChoiceFilter(label="状态", choices=ASSIGNMENT_STATUSES, method="filter_status")
    area = AreaCodeFilter(label="承办区域代码")
    review = django_filters.ChoiceFilter(
        label="审核", choices=[("1", "有待审核的办理情况")], method="filter_review"
    )
    task = IdFilter(field_name="task_id", label="督办任务")

    class Meta:
        model = Assignment
        fields = ["q", "status", "area", "review", "task"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(task__title__contains=value) | Q(task__content__contains=value)) if value else qs

    def filter_status(self, qs, name, value):
        if value == OPEN:
            return qs.filter(done_on__isnull=True)
        return qs.filter(status_q(value, timezone.localdate())) if value else qs

    def filter_review(self, qs, name, value):
        return qs.filter(awaiting_review=True) if value == "1" else qs


class ReplyFilter(django_filters.FilterSet):
    assignment = IdFilter(field_name="assignment_id", label="督办事项")
    task = IdFilter(field_name="assignment__task_id", label="督办任务")
    review = django_filters.ChoiceFilter(label="审核", choices=Review.choices)

    class Meta:
        model = Reply
        fields = ["assignment", "task", "review"]


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="标题或内容", method="filter_q")
    overdue = django_filters.ChoiceFilter(
        label="逾期", choices=[("1", "有承办区域逾期")], method="filter_overdue"
    )

    class Meta:
        model = Task
        fields = ["q", "overdue"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(title__contains=value) | Q(content__contains=value)) if value else qs

    def filter_overdue(self, qs, name, value):
        if value != "1":
            return qs
        late = Assignment.objects.overdue(timezone.localdate()).values("task_id")
        return qs.filter(pk__in=late)


class RectificationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="问题、责任单位或措施", method="filter_q")
    status = django_filters.ChoiceFilter(
        label="整改状态",
        choices=[(OPEN, "未完成（未整改、整改中）"), *RectStatus.choices],
        method="filter_status",
    )
    source = django_filters.ChoiceFilter(label="问题来源", choices=Source.choices)
    overdue = django_filters.ChoiceFilter(
        label="逾期", choices=[("1", "逾期未整改"), ("0", "未逾期")], method="filter_overdue"
    )
    area = AreaCodeFilter(label="责任区域代码")
    task = IdFilter(field_name="task_id", label="来源督办任务")

    class Meta:
        model = Rectification
        fields = ["q", "status", "source", "overdue", "area", "task"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(problem__contains=value) | Q(unit__contains=value) | Q(measures__contains=value))

    def filter_status(self, qs, name, value):
        if value == OPEN:
            return qs.filter(status__in=(RectStatus.NEW, RectStatus.IN_HAND))
        return qs.filter(status=value) if value else qs

    def filter_overdue(self, qs, name, value):
        late = rect_overdue_q(timezone.localdate())
        if value == "1":
            return qs.filter(late)
        if value == "0":
            return qs.exclude(late)
        return qs
