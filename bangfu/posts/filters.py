"""The FilterSets of public-welfare posts: one for posts (the list page and the API) and one for holders'
spells (the 公益性岗位台账 page, its API and export, and the holders' API), so they never disagree."""

import django_filters
from django.db.models import Q

from bangfu.posts.models import Post, PostType, Spell
from bangfu.registry.filters import AreaCodeFilter, search_q


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="岗位编号/名称", method="filter_q")
    area = AreaCodeFilter(label="区域代码")
    kind = django_filters.ChoiceFilter(label="岗位类型", choices=PostType.choices)
    status = django_filters.ChoiceFilter(
        label="状态", choices=[("open", "在设"), ("closed", "已撤销")], method="filter_status"
    )

    class Meta:
        model = Post
        fields = ["q", "area", "kind", "status"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(number=value) | Q(title__contains=value)) if value else qs

    def filter_status(self, qs, name, value):
        if value == "open":
            return qs.filter(closed_on__isnull=True)
        if value == "closed":
            return qs.filter(closed_on__isnull=False)
        return qs


class SpellFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/拼音首字母/证件号码后几位", method="filter_q")
    area = AreaCodeFilter(label="区域代码")
    kind = django_filters.ChoiceFilter(label="岗位类型", field_name="post__kind", choices=PostType.choices)
    current = django_filters.ChoiceFilter(
        label="在岗", choices=[("1", "在岗"), ("0", "已离岗")], method="filter_current"
    )

    class Meta:
        model = Spell
        fields = ["q", "area", "kind", "current"]

    def filter_q(self, qs, name, value):
        return qs.filter(search_q(value, prefix="person__"))

    def filter_current(self, qs, name, value):
        if value == "1":
            return qs.filter(ended_on__isnull=True)
        if value == "0":
            return qs.filter(ended_on__isnull=False)
        return qs
