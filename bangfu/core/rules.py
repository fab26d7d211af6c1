"""Rules are data: the one shape of every policy rule that carries a region and an effective date, and the
one lookup of the rule in force (the most specific region containing an area, then the latest date).

A rule version is never changed once it has taken effect: a new policy is a new row with its own date,
so the history stays and any past day can be answered as it was then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bangfu.areas.scope import LEVEL_DIGITS

PREFIX_LENGTHS = frozenset(LEVEL_DIGITS.values())  # 0, 2, 4, 6, 9, 12 digits: nation … village


def validate_region_prefix(value: str) -> None:
    if not (value == "" or (value.isascii() and value.isdigit() and len(value) in PREFIX_LENGTHS)):
        raise ValidationError("适用区域应为 2、4、6、9 或 12 位区划代码前缀，或留空表示全国。")


def region_prefix_of(area) -> str:
    """The significant prefix of an area's code: "" for the nation, "43" for Hunan, "433124" for 花垣县."""
    return area.code[: LEVEL_DIGITS[area.level]]


def region_code(prefix: str) -> str:
    """The 12-digit code of the area a prefix names ("43" → "430000000000")."""
    return prefix.ljust(12, "0")


def prefixes(area_code: str) -> list[str]:
    """Every region prefix that covers `area_code`, from the nation ("") to the code itself."""
    return [area_code[:n] for n in range(len(area_code) + 1)]


def _rank(rule) -> tuple[int, date]:
    return len(rule.region_prefix), rule.effective_from


def pick(rules: Iterable, area_code: str, on: date):
    """The rule in force for `area_code` on `on` among `rules`: of those already effective whose region
    contains the area, the one of the longest region prefix, then the latest date. None if none applies.

    This is the only place that decides; `in_force` and `RuleBook` both call it."""
    applicable = [r for r in rules if r.effective_from <= on and area_code.startswith(r.region_prefix)]
    return max(applicable, key=_rank, default=None)


class RuleBook:
    """The rules of one kind that are in effect on a day, read once: `for_code` answers any number of
    areas without another query, and `partition` turns them into one database condition."""

    def __init__(self, rules: Iterable, on: date):
        self.on = on
        self.rules = [r for r in rules if r.effective_from <= on]

    def __len__(self) -> int:
        return len(self.rules)

    def for_code(self, area_code: str):
        return pick(self.rules, area_code, self.on)

    def by_region(self) -> dict[str, object]:
        """Each region's rule in force on the day (its latest version), by region prefix."""
        current: dict[str, object] = {}
        for rule in self.rules:
            held = current.get(rule.region_prefix)
            if held is None or rule.effective_from > held.effective_from:
                current[rule.region_prefix] = rule
        return current

    def partition(self, field: str, condition: Callable[[object], Q]) -> Q:
        """One condition for a queryset whose `field` holds a 12-digit area code: each record meets
        `condition(rule)` of the rule in force for its area. A region's rule covers the region less the
        regions inside it that have their own rule. With no rule at all, nothing matches."""
        current = self.by_region()
        result = Q(pk__in=[])
        for prefix, rule in current.items():
            part = condition(rule)
            if prefix:
                part &= _within(field, prefix)
            for inner in current:
                if len(inner) > len(prefix) and inner.startswith(prefix):
                    part &= ~_within(field, inner)
            result |= part or Q(pk__isnull=False)  # an empty Q() means "all", but OR would drop it
        return result


def _within(field: str, prefix: str) -> Q:
    return Q(**{f"{field}__gte": prefix.ljust(12, "0"), f"{field}__lte": prefix.ljust(12, "9")})


def _related(prefix: str) -> Q:
    """Rules whose region contains the region `prefix` or lies inside it."""
    return Q(region_prefix__in=prefixes(prefix)) | Q(region_prefix__startswith=prefix)


class RegionalRuleQuerySet(models.QuerySet):
    def in_force(self, area_code: str, on: date | None = None):
        """The single rule that applies to `area_code` on `on` (today by default), or None."""
        on = on or timezone.localdate()
        return pick(self.filter(effective_from__lte=on, region_prefix__in=prefixes(area_code)), area_code, on)

    def book(self, on: date | None = None, within=None) -> RuleBook:
        """The rules in effect on `on`, for many lookups; `within` (an area) keeps only the rules that can
        apply somewhere in its subtree."""
        on = on or timezone.localdate()
        rules = self.filter(effective_from__lte=on)
        if within is not None:
            rules = rules.filter(_related(region_prefix_of(within)))
        return RuleBook(rules, on)

    def related_to(self, area):
        """Every version, past, in force and scheduled, whose region contains `area` or lies inside it."""
        return self.filter(_related(region_prefix_of(area)))

    def scheduled(self, on: date | None = None):
        return self.filter(effective_from__gt=on or timezone.localdate())


class RuleInEffectError(ValidationError):
    pass


class RegionalRule(models.Model):
    """The shape of every policy rule: a region (an area-code prefix, blank for the whole country) and
    the day it takes effect; subclasses add their values."""

    region_prefix = models.CharField(
        "适用区域（区划代码前缀，空为全国）", max_length=12, blank=True, validators=[validate_region_prefix]
    )
    effective_from = models.DateField("生效日期")
    note = models.CharField("依据或说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, blank=True,
        editable=False, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = RegionalRuleQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["region_prefix", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_prefix", "effective_from"], name="%(app_label)s_%(class)s_region_date"
            )
        ]

    def save(self, *args, **kwargs):
        # History stays: a version that has taken effect is never rewritten; add a new version instead.
        if self._stored_in_effect():
            raise RuleInEffectError("该规则版本已生效，不能修改；请新增一个规则版本。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_in_effect():
            raise RuleInEffectError("该规则版本已生效，不能删除。")
        return super().delete(*args, **kwargs)

    def has_taken_effect(self, on: date | None = None) -> bool:
        return self.effective_from <= (on or timezone.localdate())

    def _stored_in_effect(self) -> bool:
        if self._state.adding or self.pk is None:
            return False
        stored = type(self)._default_manager.filter(pk=self.pk).values_list("effective_from", flat=True)
        return any(day <= timezone.localdate() for day in stored)

    @property
    def region_code(self) -> str:
        return region_code(self.region_prefix)

    @property
    def region(self):
        """The area the rule is for, None nationwide; `with_regions` fetches them for many rules at once."""
        if not hasattr(self, "_region"):
            with_regions([self])
        return self._region


def with_regions(rules: Iterable) -> list:
    """`rules` as a list, each with its area (`rule.region`) read in one query."""
    from bangfu.areas.models import Area

    rules = list(rules)
    found = Area.objects.in_bulk({r.region_code for r in rules if r.region_prefix})
    for rule in rules:
        rule._region = found.get(rule.region_code) if rule.region_prefix else None
    return rules
