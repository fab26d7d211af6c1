"""The demo's 社保扶贫 (issue 19, item 6): the enrolment the demo counties' social-insurance and
medical comparisons would have set (most of the poor paying into 城乡居民养老保险, some paused or ended, a
few in an employer's scheme, most of the old drawing a pension, some still to claim or to pay back;
medical insurance for most this year), the 代缴分担 of 湘西州 (8:2 region:county) and the 社保扶贫目标 of
Hunan, this year's 养老保险代缴 list of each county built and checked through the payout core, a few
people whose contributions stopped since (registry field history, as accepting a comparison writes it)
and the warning scan that raises their 参保中断. Skipped once the year's list exists."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.areas.models import Area
from bangfu.payouts import actions
from bangfu.payouts.models import PayoutList
from bangfu.pension.models import PremiumShareRule, RateTargetRule
from bangfu.pension.roster import KIND, RESIDENTS
from bangfu.registry.actions import update_person_fields
from bangfu.registry.models import Person, years_before

SINCE = dt.date(2020, 1, 1)
NOTE = "演示数据"


def ensure_rules() -> None:
    if not PremiumShareRule.objects.filter(region_prefix="4331").exists():
        PremiumShareRule.objects.create(
            region_prefix="4331", effective_from=SINCE, province_pct=80, city_pct=0, county_pct=20,
            note=f"{NOTE}：代缴资金省、县按 8:2 分担",
        )  # fmt: skip
    if not RateTargetRule.objects.filter(region_prefix="43").exists():
        RateTargetRule.objects.create(
            region_prefix="43", effective_from=SINCE, pension_rate=99, medical_rate=99, payment_rate=100,
            note=f"{NOTE}：参保率不低于 99%，60 岁以上按月足额发放",
        )  # fmt: skip


def enrol(county: str, today: dt.date) -> None:
    """The statuses the comparisons would have set, chosen by the person's id (set-based updates)."""
    people = Person.objects.filter(area__code__startswith=county)
    if people.exclude(pension_status="").exists():
        return
    sixty = years_before(today, 60)
    ids = people.annotate(m=F("id") % 100)
    ids.filter(m__lt=80).update(pension_insurance=RESIDENTS, pension_status="参保缴费")
    ids.filter(m__gte=80, m__lt=84).update(pension_insurance=RESIDENTS, pension_status="暂停缴费")
    ids.filter(m__gte=84, m__lt=87).update(pension_insurance=RESIDENTS, pension_status="终止参保")
    ids.filter(m__gte=87, m__lt=90).update(pension_insurance="企业职工养老保险", pension_status="参保缴费")
    old = ids.filter(birth_date__lte=sixty)
    old.filter(m__lt=80).update(pension_insurance=RESIDENTS, pension_status="领取待遇")
    ids.filter(m__lt=97).update(medical_status="参保", medical_insured_year=today.year)
    ids.filter(Q(m__gte=97)).update(medical_status="未参保", medical_insured_year=today.year)


@transaction.atomic
def build_pension_demo(counties) -> None:
    ensure_rules()
    today = timezone.localdate()
    year = str(today.year)
    for county in counties:
        enrol(county, today)
        clerk = User.objects.filter(username=f"demo{county}").first()
        area = Area.objects.filter(code=county.ljust(12, "0")).first()
        if clerk is None or area is None:
            continue
        if PayoutList.objects.filter(kind=KIND.key, period=year, area=area).exists():
            continue
        actions.build(clerk, KIND.key, area, year)
        # Since the list was built, a later comparison found a few people no longer paying.
        stopped = Person.objects.filter(
            area__code__startswith=county, pension_insurance=RESIDENTS, pension_status="参保缴费",
            household__household_type="脱贫户", is_deceased=False,
        ).order_by("id")[:6]  # fmt: skip
        for index, person in enumerate(stopped):
            status = "暂停缴费" if index % 2 else "终止参保"
            update_person_fields(
                clerk, person, {"pension_status": status}, source="比对", message="演示：社保参保比对结果"
            )
        from bangfu.tracking.warnings import scan

        scan(area, today, actor=clerk, notify=False)
