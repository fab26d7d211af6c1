"""The FilterSets of skills training: courses (the list page) and enrolments (the 就业培训台账 page, its
API and export), so that they never disagree."""

import django_filters
from django.db.models import Q

from bangfu.registry.filters import AreaCodeFilter, search_q
from bangfu.training.models import Course, Enrolment, EnrolmentStatus, Need, NeedSource, TrainingKind


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="班级编号/名称", method="filter_q")
    kind = django_filters.ChoiceFilter(label="培训类型", choices=TrainingKind.choices)
    year = django_filters.NumberFilter(
        label="年度", field_name="starts_on", lookup_expr="year", min_value=1900, max_value=2999
    )

    class Meta:
        model = Course
        fields = ["q", "kind", "year"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(number=value) | Q(title__contains=value)) if value else qs


class EnrolmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/拼音首字母/证件号码后几位", method="filter_q")
    area = AreaCodeFilter(label="区域代码")
    kind = django_filters.ChoiceFilter(
        label="培训类型", field_name="course__kind", choices=TrainingKind.choices
    )
    status = django_filters.ChoiceFilter(label="状态", choices=EnrolmentStatus.choices)
    year = django_filters.NumberFilter(
        label="开班年度", field_name="course__starts_on", lookup_expr="year", min_value=1900, max_value=2999
    )

    class Meta:
        model = Enrolment
        fields = ["q", "area", "kind", "status", "year"]

    def filter_q(self, qs, name, value):
        return qs.filter(search_q(value, prefix="person__"))


class NeedFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/拼音首字母/证件号码后几位", method="filter_q")
    area = AreaCodeFilter(label="区域代码")
    kind = django_filters.ChoiceFilter(label="培训类型", choices=TrainingKind.choices)
    source = django_filters.ChoiceFilter(label="来源", choices=NeedSource.choices)

    class Meta:
        model = Need
        fields = ["q", "area", "kind", "source"]

    def filter_q(self, qs, name, value):
        return qs.filter(search_q(value, prefix="person__"))
