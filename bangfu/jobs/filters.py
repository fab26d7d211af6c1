"""One FilterSet for the job pages, the open-postings page and the API. It narrows a queryset that already
starts from `for_user`, `postings_for` or `for_employer_account`; it never widens it."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from bangfu.core.params import IdFilter
from bangfu.employers.models import Employer
from bangfu.jobs.models import Job
from bangfu.registry.filters import AreaCodeFilter

YES_NO_CHOICES = [("1", "是"), ("0", "否")]


class JobFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="岗位或单位名称", method="filter_q")
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[(Job.Status.OPEN, "招聘中"), ("expired", "已过期"), (Job.Status.CLOSED, "已结束")],
        method="filter_status",
        help_text="招聘中：未结束且未过截止日期；已过期：未结束但已过截止日期；已结束",
    )
    open_now = django_filters.ChoiceFilter(label="正在招聘", choices=YES_NO_CHOICES, method="filter_open")
    area = AreaCodeFilter(label="工作地点代码")
    occupation = django_filters.CharFilter(label="职业代码", method="filter_occupation")
    suits_low_skill = django_filters.BooleanFilter(label="适合低技能", widget=forms.NullBooleanSelect)
    employer = IdFilter(label="用人单位", field_name="employer_id")
    credit_code = django_filters.CharFilter(label="统一社会信用代码", field_name="employer__credit_code")
    wage = django_filters.NumberFilter(label="月薪不低于", method="filter_wage", min_value=0)
    board = django_filters.BooleanFilter(
        label="包吃住", field_name="board_and_lodging", widget=forms.NullBooleanSelect
    )

    class Meta:
        model = Job
        fields = []

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        employers = Employer.objects.filter(name__contains=value).values("pk")
        return qs.filter(Q(title__contains=value) | Q(employer__in=employers) | Q(number=value))

    def filter_status(self, qs, name, value):
        past = Q(deadline__lt=timezone.localdate())
        if value == "expired":
            return qs.filter(past, status=Job.Status.OPEN)
        if value == Job.Status.OPEN:
            return qs.filter(status=Job.Status.OPEN).exclude(past)
        return qs.filter(status=value)

    def filter_open(self, qs, name, value):
        today = timezone.localdate()
        taking = qs.open_on(today)
        return taking if value == "1" else qs.filter(~Exists(taking.filter(pk=OuterRef("pk"))))

    def filter_occupation(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        # A code prefix: 6 (大类), 6-18 (中类), 6-18-02 (小类) or a 细类 code.
        # A range rather than startswith: Django allows gte/lt on a foreign key, and the index serves it.
        below = Q(occupation__gte=value + "-", occupation__lt=value + "-\uffff")
        return qs.filter(Q(occupation=value) | below)

    def filter_wage(self, qs, name, value):
        """Jobs that can pay at least `value`: the top of the range, or the bottom when there is no top."""
        return qs.filter(Q(wage_max__gte=value) | Q(wage_max__isnull=True, wage_min__gte=value))
