"""One set of filters for the registry's page lists, its API and its export, so the three never disagree.

Every filter narrows a queryset that already starts from `for_user`; none of them widens the scope.
"""

from datetime import date

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from bangfu.areas.models import Area, normalize_code
from bangfu.registry import vocab
from bangfu.registry.models import Household, Person
from bangfu.registry.vocab import choices

YES_NO_CHOICES = [("1", "是"), ("0", "否")]


def prefix_range(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, as a range both databases answer from a plain index."""
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})


SUFFIX_MIN = 4  # the shortest tail of an ID number or a phone searched for
ID_PREFIX_MIN = 6  # a county's code at least: shorter prefixes would find whole cities


def _digits(text: str) -> bool:
    return text.isdigit() or (text[:-1].isdigit() and text.upper().endswith("X"))


def search_q(text: str, prefix: str = "") -> Q:
    """Name, pinyin (initials "zs" or whole "zhangsan" for 张三, or the start of either: "ran" finds 冉),
    ID number (whole, its last digits or its first ones) or phone (whole or its last digits). `prefix` reaches
    the person through a relation ("person__" from a referral)."""
    text = text.strip().replace(" ", "")
    if not text:
        return Q()
    upper = text.upper()
    if len(upper) in (15, 18) and upper[:-1].isdigit():
        return Q(**{f"{prefix}id_number": upper})
    if _digits(text):
        if len(text) == 11 and text.startswith("1"):
            return Q(**{f"{prefix}phone": text})
        if len(text) < SUFFIX_MIN:
            return Q(pk__in=[])
        # The last digits of an ID number or a phone, as staff read them off a card or hear them.
        found = prefix_range(f"{prefix}id_reversed", upper[::-1])
        if text.isdigit():
            found |= prefix_range(f"{prefix}phone_reversed", text[::-1])
            if len(text) >= ID_PREFIX_MIN:  # the first digits: county code, birth date
                found |= prefix_range(f"{prefix}id_number", text)
        return found
    if text.isascii() and text.isalpha():
        lower = text.lower()
        return prefix_range(f"{prefix}name_initials", lower) | prefix_range(f"{prefix}name_pinyin", lower)
    return prefix_range(f"{prefix}name", text)


def search_ordering(text: str) -> tuple[str, ...]:
    """Results of a search come in the order of the index the search uses, so the database reads only
    the matching entries instead of walking the whole area in name order looking for them (a search
    that reads several indexes — the tail of an ID or a phone, initials or pinyin — sorts the rows found)."""
    text = text.strip().replace(" ", "")
    if _digits(text) and SUFFIX_MIN <= len(text) < 15 and not (len(text) == 11 and text.startswith("1")):
        return ("id_reversed", "id")
    if text.isascii() and text.isalpha():
        return ("name_initials", "id")
    return ("name", "id")


class AreaCodeFilter(django_filters.CharFilter):
    """A sub-area by code; codes outside the user's subtree simply find nothing (the scope came first)."""

    def filter(self, qs, value):
        if not value:
            return qs
        try:
            code = normalize_code(value)
        except ValueError:
            return qs.none()
        area = Area.objects.filter(code=code).first()
        return qs.for_area(area) if area else qs.none()


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/拼音/证件号码/电话（可输尾号）", method="filter_q")
    area = AreaCodeFilter(label="区域代码")
    household_type = django_filters.ChoiceFilter(
        field_name="household__household_type", label="户类型", choices=choices(vocab.HOUSEHOLD_TYPES)
    )
    monitoring_type = django_filters.ChoiceFilter(
        field_name="household__monitoring_type", label="监测对象类型", choices=choices(vocab.MONITORING_TYPES)
    )
    labor_skill = django_filters.ChoiceFilter(label="劳动技能", choices=choices(vocab.LABOR_SKILLS))
    employment_status = django_filters.ChoiceFilter(
        label="务工状态", choices=choices(vocab.EMPLOYMENT_STATUSES)
    )
    desired_region = django_filters.ChoiceFilter(label="意向务工地", choices=choices(vocab.DESIRED_REGIONS))
    wants_job = django_filters.ChoiceFilter(label="有就业意向", choices=YES_NO_CHOICES, method="filter_wish")
    wants_training = django_filters.ChoiceFilter(
        label="有培训意愿", choices=YES_NO_CHOICES, method="filter_wish"
    )
    wants_work = django_filters.BooleanFilter(label="就业意愿", widget=forms.NullBooleanSelect)
    laborer = django_filters.ChoiceFilter(label="劳动力", choices=YES_NO_CHOICES, method="filter_laborer")
    min_age = django_filters.NumberFilter(label="最小年龄", method="filter_age", min_value=0, max_value=120)
    max_age = django_filters.NumberFilter(label="最大年龄", method="filter_age", min_value=0, max_value=120)

    class Meta:
        model = Person
        fields = []

    def filter_q(self, qs, name, value):
        return qs.filter(search_q(value)).order_by(*search_ordering(value)) if value.strip() else qs

    def filter_wish(self, qs, name, value):
        field = "job_wish" if name == "wants_job" else "training_wish"
        return qs.exclude(**{field: ""}) if value == "1" else qs.filter(**{field: ""})

    def filter_laborer(self, qs, name, value):
        laborers = qs.laborers()
        return laborers if value == "1" else qs.filter(~Exists(laborers.filter(pk=OuterRef("pk"))))

    def filter_age(self, qs, name, value):
        today = date.today()
        years = int(value)
        if name == "min_age":  # at least `years` old: born on or before this day `years` ago
            return qs.filter(birth_date__lte=_years_before(today, years))
        return qs.filter(birth_date__gt=_years_before(today, years + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="户编号/户主姓名", method="filter_q")
    area = AreaCodeFilter(label="区域代码")
    household_type = django_filters.ChoiceFilter(label="户类型", choices=choices(vocab.HOUSEHOLD_TYPES))
    monitoring_type = django_filters.ChoiceFilter(
        label="监测对象类型", choices=choices(vocab.MONITORING_TYPES)
    )
    is_dibao = django_filters.BooleanFilter(label="低保户", widget=forms.NullBooleanSelect)
    is_tekun = django_filters.BooleanFilter(label="特困户", widget=forms.NullBooleanSelect)
    is_relocated = django_filters.BooleanFilter(label="易地搬迁户", widget=forms.NullBooleanSelect)

    class Meta:
        model = Household
        fields = []

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        heads = Person.objects.filter(relation="户主").filter(search_q(value)).values("household_id")
        return qs.filter(Q(number=value) | Q(pk__in=heads))
