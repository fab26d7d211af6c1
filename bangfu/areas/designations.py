"""Which areas carry which designation (认定: 贫困村, 脱贫村, 重点帮扶县 …) on a day: the one query other
apps use (figures filtered by designation, policy rules that apply to designated areas). Writes are in
actions.py.

A kind is named by its slug ("key_county") or its Chinese name ("国家乡村振兴重点帮扶县"); both are accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from bangfu.areas.kinds import DESIGNATION_LEVELS, NAMES, kind_of
from bangfu.areas.models import Area, Designation
from bangfu.areas.scope import LEVEL_DIGITS

# slug → Chinese name, in the order pages and files list them.
KINDS: dict[str, str] = NAMES


def level_of(kind: str) -> int:
    """The level of area a kind is given to (areas.models.Level)."""
    return DESIGNATION_LEVELS[kind_of(kind)]


def codes_on(kind: str, on: date, within: Area | None = None) -> set[str]:
    """The 12-digit codes of the areas carrying `kind` on `on`; with `within`, only areas of its subtree
    (itself included). One query."""
    listings = Designation.objects.on(on).filter(kind=kind_of(kind))
    if within is not None:
        listings = listings.for_area(within)
    return set(listings.values_list("area_id", flat=True))


def designations_on(area: Area, on: date) -> list[Designation]:
    """The area's own listings in force on `on` (not its ancestors'), in KINDS order."""
    order = list(KINDS)
    found = list(Designation.objects.on(on).filter(area=area).select_related("area"))
    return sorted(found, key=lambda d: (order.index(d.kind), d.starts_on))


def covering_codes(code: str) -> list[str]:
    """The 12-digit codes whose designation covers the area `code`: its ancestors (province down) and
    itself."""
    codes = []
    for digits in LEVEL_DIGITS.values():
        if digits:
            candidate = code[:digits].ljust(12, "0")
            if candidate not in codes:
                codes.append(candidate)
    return codes


def kinds_covering(code: str, on: date, kinds: Iterable[str] | None = None) -> set[str]:
    """The kinds the area `code` is covered by on `on`: carried by the area itself or by an ancestor (a
    village of a 重点帮扶县 is covered by 重点帮扶县). One query; `kinds` narrows what is asked."""
    listings = Designation.objects.on(on).filter(area_id__in=covering_codes(code))
    if kinds is not None:
        listings = listings.filter(kind__in=[kind_of(k) for k in kinds])
    return set(listings.values_list("kind", flat=True))


class Coverage:
    """Designations of many areas on one day, read once per kind: `covers(code, kind)` answers whether an
    area or an ancestor carries the kind, without another query (rules.RuleBook uses it)."""

    def __init__(self, on: date, kinds: Iterable[str], within: Area | None = None):
        self.on = on
        self.codes: dict[str, frozenset[str]] = {}
        for kind in kinds:
            listings = Designation.objects.on(on).filter(kind=kind_of(kind))
            if (
                within is not None
            ):  # the subtree, and the areas above it (a county above a township covers it)
                low, high = within.code_range
                listings = listings.filter(
                    Q(area__code__range=(low, high)) | Q(area_id__in=covering_codes(within.code))
                )
            self.codes[kind_of(kind)] = frozenset(listings.values_list("area_id", flat=True))

    def covers(self, code: str, kind: str) -> bool:
        carriers = self.codes.get(kind)
        if carriers is None:
            raise KeyError(kind)
        return any(c in carriers for c in covering_codes(code))

    def kinds_covering(self, code: str) -> set[str]:
        return {kind for kind in self.codes if self.covers(code, kind)}
