"""Roll-ups by sub-area: count any area-scoped records per child area in one query per child level."""

from collections import Counter
from collections.abc import Iterable

from django.db.models import Count
from django.db.models.functions import Substr

from bangfu.areas.models import Area
from bangfu.areas.scope import LEVEL_DIGITS


def rollup(children: Iterable[Area], queryset, code_field: str) -> dict[str, int]:
    """{child code: number of records of `queryset` whose `code_field` lies in that child's subtree}."""
    children = list(children)
    counts: Counter[str] = Counter()
    for level in {child.level for child in children}:
        digits = LEVEL_DIGITS[level]
        rows = (
            queryset.annotate(_prefix=Substr(code_field, 1, digits))
            .values("_prefix")
            .annotate(_n=Count("pk"))
            .values_list("_prefix", "_n")
        )
        by_prefix = dict(rows)
        for child in children:
            if child.level == level:
                counts[child.code] = by_prefix.get(child.short_code, 0)
    return dict(counts)


def level_counts(area: Area) -> dict[int, int]:
    """How many areas of each level lie below `area`."""
    rows = (
        Area.objects.for_area(area)
        .current()
        .exclude(code=area.code)
        .values_list("level")
        .annotate(n=Count("code"))
    )
    return dict(rows)
