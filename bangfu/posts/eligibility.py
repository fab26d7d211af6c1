"""Who could fill a vacancy (推荐人选): registry people of the post's area who are laborers on the day (alive,
able to work, of working age), out of work and holding no post, and who are one of the groups public-welfare
posts are for — 弱劳动力或半劳动力, a member of a household with nobody in work (零就业户, as stats
defines it), or an older laborer (from the 大龄劳动力起始年龄 of the 公益性岗位配置 rule in force). Guidance
only: staff decide who is put on the post."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from bangfu.areas.models import Area
from bangfu.employment.status import NOT_WORKING
from bangfu.posts.models import QuotaRule
from bangfu.registry.models import Person, years_before
from bangfu.stats import figures

WEAK = "弱劳动力或半劳动力"
SHOWN = 50


@dataclass(frozen=True)
class Candidate:
    person: Person
    reasons: tuple[str, ...]


def _flag(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def candidates(area: Area, on: dt.date, limit: int = SHOWN) -> list[Candidate]:
    """The people who could fill a vacancy of a post in `area` on `on`, those meeting most groups first."""
    rule = QuotaRule.objects.in_force(area.code, on)
    zero = figures.zero_employment_households(area, on).values("pk")
    weak = Q(labor_skill=WEAK)
    in_zero = Q(household__in=zero)
    older = Q(pk__in=[])
    if rule is not None:
        older = Q(birth_date__lte=years_before(on, rule.older_age))
    people = (
        figures.laborers(area, on)
        .filter(employment_status=NOT_WORKING)
        .filter(~Exists(figures.welfare_post_holders(on).filter(person_id=OuterRef("pk"))))
        .filter(weak | in_zero | older)
        .annotate(_weak=_flag(weak), _zero=_flag(in_zero), _older=_flag(older))
        .select_related("household")
        .order_by("-_zero", "-_weak", "-_older", "birth_date", "pk")[:limit]
    )
    found = []
    for person in people:
        flags = (("零就业户", person._zero), (WEAK, person._weak), ("大龄", person._older))
        reasons = [name for name, flag in flags if flag]
        found.append(Candidate(person, tuple(reasons)))
    return found
