"""The demo's 社保扶贫 (issue 19, item 6): the enrolment the demo counties' social-insurance and
medical comparisons would have set (most of the poor paying into 城乡居民养老保险, some paused or ended, a
few in an employer's scheme, most of the old drawing a pension, some still to claim or to pay back;
medical insurance for most this year), the 代缴分担 of 湘西州 (8:2 region:county) and the 社保扶贫目标 of
Hunan, this year's 养老保险代缴 list of each county built and checked through the payout core, a few
people whose contributions stopped since (registry field history, as accepting a comparison writes it)
and the warning scan that raises their 参保中断; settlements of the year with heavy burdens, the 医疗负担预警
line and the 医疗倾斜政策 reference rule of 湘西州. Skipped once the year's list exists."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.areas.models import Area
from bangfu.payouts import actions
from bangfu.payouts.models import PayoutList
from bangfu.pension.models import (
    BurdenRule,
    MedicalPreferenceRule,
    PremiumShareRule,
    RateTargetRule,
    Settlement,
)
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
    if not BurdenRule.objects.filter(region_prefix="4331").exists():
        BurdenRule.objects.create(
            region_prefix="4331", effective_from=SINCE, yearly_personal=5000,
            note=f"{NOTE}：医保结算后年度个人负担超过 5000 元的报扶贫部门",
        )  # fmt: skip
    if not MedicalPreferenceRule.objects.filter(region_prefix="4331").exists():
        MedicalPreferenceRule.objects.create(
            region_prefix="4331", effective_from=SINCE, base_ratio=70, deductible=800, waive_deductible=True,
            ratio_bonus=10, ratio_cap=90, level1_ratio=90, major_deductible=3000, major_ratio=60,
            chronic_cap=1000, tolerance=100, note=f"{NOTE}：参照安康市贫困人口医疗倾斜政策",
        )  # fmt: skip


# The demo's settlements (总费用, 基本医保支付, 大病保险支付, 医疗救助支付, 个人负担, 医疗类别,
# 医院等级): some heavy, one that missed the preferences (paid at the ordinary ratio), chronic outpatient.
SETTLEMENTS = (
    ("32000", "22400", "2900", "1500", "5200", "住院", "三级"),
    ("15000", "10500", "0", "1000", "3500", "住院", "二级"),
    ("4000", "3600", "0", "0", "400", "住院", "一级"),
    ("1500", "1000", "0", "0", "500", "门诊慢特病", ""),
)


def settle(county: str, today: dt.date) -> None:
    """Settlements of a few people of the county this year, as a medical-settlement comparison keeps them."""
    people = Person.objects.filter(
        area__code__startswith=county, household__household_type="脱贫户", is_deceased=False
    ).order_by("-id")[:12]
    for index, person in enumerate(people):
        for n, (total, basic, major, assistance, personal, care, level) in enumerate(SETTLEMENTS):
            if (index + n) % 3 == 2:
                continue
            Settlement.objects.get_or_create(
                person=person, settled_on=today.replace(month=1 + (index + n) % max(1, today.month), day=1),
                total=total, personal=personal,
                defaults={"area_id": person.area_id, "basic": basic, "major": major, "assistance": assistance,
                          "care_kind": care, "hospital_level": level},
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
        settle(county, today)
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
