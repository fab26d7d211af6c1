"""The demo's entrepreneurship (issue 20, item 7): the rules for Hunan (一次性创业补贴 5,000 yuan after 6
months open, 带动就业补贴 1,000 yuan a job from 1, 创业担保贷款贴息 100% on up to 200,000 yuan for 36
months), in each demo county a dozen ventures of registry people this year and last, guarantee loans with
repayments (one 逾期), a 返乡入乡创业园 with residents on free rent, and this year's three subsidy lists
built by the county's demo user — with the lines they must catch: a venture closed too soon, one that
created no job, an overdue loan. Written through the real actions; relative to today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.areas.models import Area
from bangfu.registry.models import Person
from bangfu.ventures import actions
from bangfu.ventures.models import InterestRule, JobsRule, StartupRule, Venture

SINCE = dt.date(2020, 1, 1)
NAMES = (
    "农家乐",
    "养蜂合作社",
    "电商小店",
    "竹编工坊",
    "腊肉加工坊",
    "民宿",
    "汽修店",
    "茶叶种植场",
    "快递驿站",
    "服装加工点",
    "猕猴桃家庭农场",
    "米粉店",
)
KINDS = (
    "个体工商户",
    "农民专业合作社",
    "网店",
    "个体工商户",
    "小微企业",
    "个体工商户",
    "个体工商户",
    "家庭农场",
    "个体工商户",
    "小微企业",
    "家庭农场",
    "个体工商户",
)


def _rules() -> None:
    if not StartupRule.objects.filter(region_prefix="43").exists():
        StartupRule.objects.create(
            region_prefix="43",
            effective_from=SINCE,
            amount=Decimal("5000"),
            min_months=6,
            note="演示：当年创业、经营满 6 个月的，一次性补贴 5000 元",
        )
    if not JobsRule.objects.filter(region_prefix="43").exists():
        JobsRule.objects.create(
            region_prefix="43",
            effective_from=SINCE,
            amount=Decimal("1000"),
            min_jobs=1,
            note="演示：每带动 1 人就业补贴 1000 元",
        )
    if not InterestRule.objects.filter(region_prefix="43").exists():
        InterestRule.objects.create(
            region_prefix="43",
            effective_from=SINCE,
            share=100,
            max_amount=Decimal("200000"),
            max_months=36,
            note="演示：创业担保贷款全额贴息，本金 20 万元以内，3 年",
        )


def build_ventures_demo(counties) -> None:
    if Venture.objects.filter(area__code__startswith=counties[0]).exists():
        return
    today = timezone.localdate()
    with transaction.atomic():
        _rules()
        for code in counties:
            _county(Area.objects.get(code=code.ljust(12, "0")), today)
    _lists(counties, today)


def _county(county: Area, today: dt.date) -> None:
    user = User.objects.filter(username=f"demo{county.short_code}").first()
    founders = list(
        Person.objects.for_area(county)
        .filter(
            is_deceased=False,
            labor_skill__in=("技能劳动力", "普通劳动力"),
            birth_date__year__lte=today.year - 25,
        )
        .order_by("-pk")[: len(NAMES)]
    )
    ventures = []
    for index, person in enumerate(founders):
        started = dt.date(today.year - (index % 3 == 2), 1 + index % 9, 5 + index)
        ventures.append(
            actions.register_venture(
                user,
                person,
                name=f"{person.name}{NAMES[index]}",
                kind=KINDS[index],
                started_on=min(started, today),
                industry="农林牧渔" if "农场" in NAMES[index] or "合作社" in NAMES[index] else "服务业",
                jobs=(index * 3) % 7,
                check_scope=False,
            )
        )
    if len(ventures) < 8:
        return
    actions.close_venture(
        user, ventures[4], ventures[4].started_on + dt.timedelta(days=70)
    )  # closed too soon
    for n, venture in enumerate(ventures[:4]):
        granted = max(venture.started_on, today - dt.timedelta(days=400)) + dt.timedelta(days=10)
        loan = actions.grant_loan(
            user,
            venture,
            bank=("湘西农商银行", "中国邮政储蓄银行")[n % 2],
            contract=f"{county.short_code}-DB-{today.year}-{n + 1:03d}",
            amount=Decimal(100000 + 50000 * n),
            rate=Decimal("4.35"),
            term_months=36,
            granted_on=min(granted, today),
            check_scope=False,
        )
        if n == 1:
            paid = min(loan.granted_on + dt.timedelta(days=95), today)
            actions.repay(
                user,
                loan,
                paid_on=paid,
                principal=Decimal("30000"),
                interest=Decimal("1600"),
                check_scope=False,
            )
        if n == 3:
            actions.set_loan_status(user, loan, "逾期", loan.granted_on, check_scope=False)
    park = actions.create_incubator(
        user, area=county, name=f"{county.name}返乡入乡创业园", kind="返乡入乡创业园", places=20
    )
    for venture in ventures[5:8]:
        moved = max(venture.started_on, today - dt.timedelta(days=200))
        actions.move_in(
            user,
            park,
            venture,
            moved_in=moved,
            free_rent=Decimal("1200"),
            free_until=moved + dt.timedelta(days=730),
        )


def _lists(counties, today: dt.date) -> None:
    from bangfu.payouts import actions as payouts

    for code in counties:
        user = User.objects.filter(username=f"demo{code}").first()
        if user is None:
            continue
        for key in ("startup-subsidy", "jobs-subsidy", "loan-interest"):
            payouts.build(user, key, user.area, str(today.year))
