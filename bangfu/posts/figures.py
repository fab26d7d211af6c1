"""The figures of public-welfare posts, each defined once (the posts pages, the API and the demo read them
from here; 公益性岗位在岗人数, people holding a post, is stats.figures.welfare_post_holders):

- 在设岗位: posts of the area open on D (opened on or before D, not closed before it).
- 在岗岗位 (posts held): open posts with a holder's spell in force on D; 空缺岗位 (vacancies): the rest.
- 上岗率 of a month: days on duty over days due, summed over the month's duty rows of the area's posts
  (在岗天数 / 应出勤天数), as a percentage.
- 贫困村岗位配置: each poor village (贫困村 or 脱贫村 on D, areas/designations.py) of the area with its open
  posts, against the 公益性岗位配置 rule in force for it on D (每村岗位数下限–上限); 不足 below the minimum,
  超出 above the maximum, 无规则 where no version applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from bangfu.areas.designations import codes_on
from bangfu.areas.kinds import DesignationKind
from bangfu.areas.models import Area
from bangfu.posts.models import Duty, Post, QuotaRule, Spell, held_in, open_on


def open_posts(area: Area, on: dt.date):
    return Post.objects.for_area(area).filter(open_on(on))


def held_q(on: dt.date) -> Q:
    """Posts with a holder's spell in force on `on`."""
    return Q(pk__in=Spell.objects.filter(held_in(on, on)).values("post_id"))


def held_posts(area: Area, on: dt.date):
    """Open posts of `area` with a holder on `on`."""
    return open_posts(area, on).filter(held_q(on))


def vacant_posts(area: Area, on: dt.date):
    """Open posts of `area` with nobody on them on `on`."""
    return open_posts(area, on).exclude(held_q(on))


@dataclass(frozen=True)
class DutyRate:
    days: int
    due: int

    @property
    def rate(self) -> Decimal | None:
        """上岗率 in percent with one decimal, None when nothing was due."""
        if not self.due:
            return None
        return (Decimal(self.days) * 100 / Decimal(self.due)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def on_duty(area: Area, month: str) -> DutyRate:
    """上岗率 of `month` (YYYY-MM) in `area`: Σ在岗天数 / Σ应出勤天数 of the month's duty rows."""
    sums = (
        Duty.objects.for_area(area)
        .filter(month=month)
        .aggregate(days=Sum("days_on_duty"), due=Sum("days_due"))
    )
    return DutyRate(sums["days"] or 0, sums["due"] or 0)


@dataclass(frozen=True)
class Village:
    area: Area
    posts: int  # open posts on the day
    held: int  # of them, with a holder
    min_posts: int | None  # the 公益性岗位配置 rule in force, None without one
    max_posts: int | None

    @property
    def verdict(self) -> str:
        if self.min_posts is None:
            return "无规则"
        if self.posts < self.min_posts:
            return "不足"
        if self.posts > self.max_posts:
            return "超出"
        return "达标"


POOR = (DesignationKind.POOR_VILLAGE, DesignationKind.EXITED_VILLAGE)


def poor_villages(area: Area, on: dt.date) -> list[Village]:
    """Every poor village (贫困村 or 脱贫村 on `on`) of `area` with its posts against the rule."""
    codes = set()
    for kind in POOR:
        codes |= codes_on(kind, on, within=area)
    if not codes:
        return []
    counts = {
        row["area_id"]: row
        for row in open_posts(area, on)
        .filter(area_id__in=codes)
        .values("area_id")
        .order_by()
        .annotate(posts=Count("pk"), held=Count("pk", filter=held_q(on)))
    }
    book = QuotaRule.objects.book(on, within=area)
    result = []
    for village in Area.objects.filter(code__in=codes).order_by("code"):
        rule = book.for_code(village.code)
        found = counts.get(village.code, {})
        result.append(
            Village(
                village,
                found.get("posts", 0),
                found.get("held", 0),
                rule.min_posts if rule else None,
                rule.max_posts if rule else None,
            )
        )
    return result


@dataclass(frozen=True)
class Summary:
    open: int
    held: int
    holders: int  # people holding a post of the area on the day
    poor_villages: int
    short_villages: int  # poor villages below the rule's minimum

    @property
    def vacant(self) -> int:
        return self.open - self.held


def summary(area: Area, on: dt.date) -> Summary:
    posts = open_posts(area, on).aggregate(open=Count("pk"), held=Count("pk", filter=held_q(on)))
    holders = (
        Spell.objects.for_area(area).filter(held_in(on, on)).values("person_id").distinct().order_by().count()
    )
    villages = poor_villages(area, on)
    return Summary(
        posts["open"], posts["held"], holders, len(villages), sum(1 for v in villages if v.verdict == "不足")
    )
