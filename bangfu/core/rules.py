"""Rules are data: the one shape of every policy rule that carries a region and an effective date, and the
one lookup of the rule in force (the most specific region containing an area, then the latest date).

A version may also name a designation (认定, areas/designations.py): "every 重点帮扶县 of Hunan" is
region "43" with designation 重点帮扶县, and applies to the areas of the region that carry it on the day
asked — an area is covered when it or an ancestor carries it (a village of a 重点帮扶县). Precedence,
decided in `_rank` alone:
the longer region prefix first; at the same prefix a rule naming a designation beats a plain one, and one
naming a village-level designation (贫困村, 脱贫村, 安置点) beats one naming a county-level one (重点帮扶县,
深度贫困县); then the latest date; then the order of the kinds in areas.models.DesignationKind.

A rule version is never changed once it has taken effect: a new policy is a new row with its own date,
so the history stays and any past day can be answered as it was then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from bangfu.areas.kinds import DESIGNATION_LEVELS, DesignationKind
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


_KIND_ORDER = {kind.value: index for index, kind in enumerate(DesignationKind)}


def designation_digits(kind: str) -> int:
    """How much of an area's code tells whether it is covered by `kind`: 12 digits for a village-level kind,
    6 for a county-level one, 0 for none (a plain rule)."""
    return LEVEL_DIGITS[DESIGNATION_LEVELS[kind]] if kind else 0


def _rank(rule) -> tuple:
    kind = rule.designation
    return (
        len(rule.region_prefix),
        (1 + designation_digits(kind)) if kind else 0,
        rule.effective_from,
        -_KIND_ORDER.get(kind, -1),
    )


def pick(rules: Iterable, area_code: str, on: date, covered: Callable[[str], set[str]] | None = None):
    """The rule in force for `area_code` on `on` among `rules`: of those already effective whose region
    contains the area — and, for a rule naming a designation, whose designation covers the area on `on` —
    the highest by `_rank` (the longest region prefix, then designation before plain, then the latest
    date). None if none applies. `covered(code)` gives the designations covering an area; without it
    they are read (one query) only when a rule names one.

    This is the only place that decides; `in_force` and `RuleBook` both call it."""
    applicable = [r for r in rules if r.effective_from <= on and area_code.startswith(r.region_prefix)]
    named = {r.designation for r in applicable if r.designation}
    if named:
        if covered is None:
            from bangfu.areas.designations import kinds_covering

            carried = kinds_covering(area_code, on, named)
        else:
            carried = covered(area_code)
        applicable = [r for r in applicable if not r.designation or r.designation in carried]
    return max(applicable, key=_rank, default=None)


class RuleBook:
    """The rules of one kind that are in effect on a day, read once: `for_code` answers any number of
    areas without another query, and `partition` turns them into one database condition. The
    designations the rules name are read once too (one query per kind named; none for plain rules)."""

    def __init__(self, rules: Iterable, on: date, within=None):
        self.on = on
        self.rules = [r for r in rules if r.effective_from <= on]
        kinds = {r.designation for r in self.rules if r.designation}
        self.coverage = None
        if kinds:
            from bangfu.areas.designations import Coverage

            self.coverage = Coverage(on, kinds, within)

    def __len__(self) -> int:
        return len(self.rules)

    def _covered(self, area_code: str) -> set[str]:
        return self.coverage.kinds_covering(area_code) if self.coverage is not None else set()

    def for_code(self, area_code: str):
        return pick(self.rules, area_code, self.on, self._covered)

    @property
    def digits(self) -> int:
        """How much of an area's code its answer depends on: the longest region prefix, or more when a rule
        names a designation (a village-level one: the whole code). Callers may remember answers by it."""
        return max(
            (max(len(r.region_prefix), designation_digits(r.designation)) for r in self.rules), default=0
        )

    def by_region(self) -> dict[tuple[str, str], object]:
        """The rule in force on the day (latest version) of each region and designation ("" for a plain
        rule), by (region prefix, designation)."""
        current: dict[tuple[str, str], object] = {}
        for rule in self.rules:
            key = (rule.region_prefix, rule.designation)
            held = current.get(key)
            if held is None or rule.effective_from > held.effective_from:
                current[key] = rule
        return current

    def current(self) -> list:
        """The rules of `by_region` in a fixed order (region prefix, designation)."""
        return sorted(self.by_region().values(), key=lambda r: (r.region_prefix, r.designation))

    def case(self, field: str, value: Callable[[int, object], object], output_field, default=None) -> Case:
        """One CASE for a queryset whose `field` holds a 12-digit area code: `value(i, rule)` of the rule in
        force for each row's area (`i` its place in `current()`), `default` (a SQL NULL when None) where
        none is."""
        return Case(
            *(
                When(
                    self.partition(field, lambda r, rule=rule: Q() if r is rule else Q(pk__in=[])),
                    then=value(i, rule),
                )
                for i, rule in enumerate(self.current())
            ),
            default=Value(default),
            output_field=output_field,
        )

    def partition(self, field: str, condition: Callable[[object], Q]) -> Q:
        """One condition for a queryset whose `field` holds a 12-digit area code: each record meets
        `condition(rule)` of the rule in force for its area. A rule covers its region (less the areas its
        designation does not cover) less the places a rule of higher rank covers. With no rule at all,
        nothing matches."""
        current = sorted(self.by_region().values(), key=_rank)
        result = Q(pk__in=[])
        for index, rule in enumerate(current):
            part = condition(rule) & self._reach(field, rule)
            for higher in current[index + 1 :]:  # a higher rank has a prefix as long or longer
                if higher.region_prefix.startswith(rule.region_prefix):
                    reach = self._reach(field, higher)
                    part &= ~reach if reach else Q(pk__in=[])
            result |= part or Q(pk__isnull=False)  # an empty Q() means "all", but OR would drop it
        return result

    def _reach(self, field: str, rule) -> Q:
        """The records a rule's region and designation cover, whatever rule outranks it (Q() for all)."""
        reach = _within(field, rule.region_prefix) if rule.region_prefix else Q()
        if rule.designation:
            reach &= self._designated(field, rule.designation)
        return reach

    def _designated(self, field: str, kind: str) -> Q:
        """Records of areas covered by `kind` on the day: of the areas carrying it, or inside one."""
        digits = designation_digits(kind)
        carriers = sorted(self.coverage.codes[kind])
        if not carriers:
            return Q(pk__in=[])
        if digits == 12:
            return Q(**{f"{field}__in": carriers})
        found = Q(pk__in=[])
        for code in carriers:
            found |= _within(field, code[:digits])
        return found


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
        return RuleBook(rules, on, within=within)

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
    designation = models.CharField(
        "适用认定类别",
        max_length=24,
        blank=True,
        choices=DesignationKind.choices,
        help_text="只适用于区域内本身或上级具有此认定的地区（如“区域内的重点帮扶县”）；空为区域内所有地区。",
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
                fields=["region_prefix", "designation", "effective_from"],
                name="%(app_label)s_%(class)s_region_date",
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
