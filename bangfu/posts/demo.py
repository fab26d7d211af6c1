"""The demo's public-welfare posts (issue 18, item 6): the two rules for Hunan (公益性岗位补贴 600 yuan for
20 days, 公益性岗位配置 2–3 posts per poor village), two or three posts in each of the first poor villages
of every demo county (and a few vacancies), holders from the village's laborers out of work, duty for the
last two months — with the lines a payroll must catch: a holder who died last month, one holding a second
post, one on duty too few days — and, when the payout core is installed, both months' payroll built by
the county's demo user. Written through the real actions; relative to today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.areas.designations import codes_on
from bangfu.areas.kinds import DesignationKind
from bangfu.areas.models import Area, Level
from bangfu.posts import actions
from bangfu.posts.models import Post, PostType, QuotaRule, SubsidyRule
from bangfu.registry.models import Person

VILLAGES_PER_COUNTY = 8
TITLES = ("村庄保洁员", "护林员", "护路员", "水管员", "防贫监测信息员")
SINCE = dt.date(2020, 1, 1)


def last_months(today: dt.date) -> tuple[str, str]:
    """The two full months before `today`'s, oldest first."""
    end_of_last = today.replace(day=1) - dt.timedelta(days=1)
    end_of_before = end_of_last.replace(day=1) - dt.timedelta(days=1)
    return f"{end_of_before:%Y-%m}", f"{end_of_last:%Y-%m}"


def _rules() -> None:
    if not SubsidyRule.objects.filter(region_prefix="43").exists():
        SubsidyRule.objects.create(
            region_prefix="43",
            effective_from=SINCE,
            monthly_amount=Decimal("600"),
            min_days=20,
            note="演示：每人每月 600 元，当月在岗满 20 天全额发放",
        )
    if not QuotaRule.objects.filter(region_prefix="43").exists():
        QuotaRule.objects.create(
            region_prefix="43",
            effective_from=SINCE,
            min_posts=2,
            max_posts=3,
            older_age=50,
            note="演示：每个贫困村 2–3 个公益性岗位",
        )


def _villages(county: Area, today: dt.date) -> list[Area]:
    poor = set()
    for kind in (DesignationKind.POOR_VILLAGE, DesignationKind.EXITED_VILLAGE):
        poor |= codes_on(kind, today, within=county)
    villages = list(
        Area.objects.for_area(county).filter(level=Level.VILLAGE, is_current=True).order_by("code")
    )
    ordered = [v for v in villages if v.code in poor] + [v for v in villages if v.code not in poor]
    return ordered[:VILLAGES_PER_COUNTY]


def build_posts_demo(counties) -> None:
    today = timezone.localdate()
    if Post.objects.filter(county_code__in=list(counties)).exists():
        return
    with transaction.atomic():
        _rules()
        months = last_months(today)
        first_day = dt.date.fromisoformat(f"{months[0]}-01")
        for code in counties:
            county = Area.objects.get(code=code.ljust(12, "0"))
            _county(county, today, first_day, months)
    _payroll(counties, months)


def _county(county: Area, today: dt.date, first_day: dt.date, months: tuple[str, str]) -> None:
    user = User.objects.filter(username=f"demo{county.short_code}").first()
    opened = first_day - dt.timedelta(days=400)
    holders = []
    number = 0
    for index, village in enumerate(_villages(county, today)):
        people = list(
            Person.objects.filter(
                area=village,
                is_deceased=False,
                employment_status="未务工",
                labor_skill__in=("弱劳动力或半劳动力", "普通劳动力"),
            ).order_by("-labor_skill", "birth_date", "pk")[:3]
        )
        for slot in range(2 + index % 2):
            number += 1
            post = actions.create_post(
                user,
                area=village,
                number=f"{county.short_code}-GY-{number:03d}",
                kind=PostType.RURAL,
                title=TITLES[(index + slot) % len(TITLES)],
                opened_on=opened,
                host_unit=f"{village.name}村民委员会",
                duties="按村里安排做好本岗位日常工作，每月出勤不少于 20 天。",
            )
            if slot < len(people) and not (index in (1, 2) and slot == 1):  # vacancies
                started = opened + dt.timedelta(days=30 * (slot + 1))
                holders.append(actions.start_spell(user, post, people[slot], started, check_scope=False))
    if len(holders) < 4:
        return
    # One holder takes a second post in the other month's village from the first month on: 一人多岗.
    second = Post.objects.filter(county_code=county.short_code, spells__isnull=True).first()
    if second is not None:
        actions.start_spell(user, second, holders[0].person, first_day, check_scope=False)
    for spell in holders:
        for month in months:
            days = 21
            if spell is holders[1] and month == months[1]:
                days = 15  # too few days: 不符合条件
            actions.save_duty(user, spell.person, month, days, 22, within=county, check_scope=False)
    # A holder who died in the last month: 已故 on that month's payroll.
    from bangfu.registry.actions import update_person_fields

    died = dt.date.fromisoformat(f"{months[1]}-12")
    update_person_fields(
        user,
        holders[2].person,
        {"is_deceased": True, "died_on": died},
        source="手工",
        message="演示：登记死亡",
    )


def _payroll(counties, months) -> None:
    try:
        from bangfu.payouts import actions as payouts
    except ImportError:
        return
    for code in counties:
        user = User.objects.filter(username=f"demo{code}").first()
        if user is None:
            continue
        for month in months:
            payouts.build(user, "welfare-post", user.area, month)
