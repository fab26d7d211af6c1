"""社保扶贫's rules, each a dated regional rule (core/rules.py): the premium the government pays for the
poor (养老保险代缴) and how the levels share it (代缴分担), the pension age and how early the 60+ ledger
looks ahead (养老待遇领取), and the targets of the three rates (社保扶贫目标)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from bangfu.core.rules import RegionalRule
from bangfu.registry.models import years_before

LEVELS = ("省级", "市级", "县级")


class PremiumRule(RegionalRule):
    """养老保险代缴: the yearly premium (the minimum tier of 城乡居民养老保险) the government pays for each
    eligible poor person, and the ages (in whole years on 1 January of the year) at which it pays."""

    amount = models.DecimalField("代缴金额（元/年）", max_digits=10, decimal_places=2, default=Decimal("100"))
    min_age = models.PositiveSmallIntegerField("最小年龄（周岁）", default=16)
    max_age = models.PositiveSmallIntegerField("最大年龄（周岁）", default=59)

    class Meta(RegionalRule.Meta):
        verbose_name = "养老保险代缴"
        verbose_name_plural = "养老保险代缴"

    def __str__(self):
        return f"{self.region_prefix or '全国'} {self.effective_from}起：每人每年 {self.amount} 元"

    def born_within(self, on: date, prefix: str = "") -> models.Q:
        """Born so as to be `min_age` to `max_age` years old on `on`."""
        return models.Q(
            **{
                f"{prefix}birth_date__lte": years_before(on, self.min_age),
                f"{prefix}birth_date__gt": years_before(on, self.max_age + 1),
            }
        )

    def old_enough(self, on: date) -> models.Q:
        """Born so as to be at least `min_age` years old on `on`."""
        return models.Q(birth_date__lte=years_before(on, self.min_age))


def ensure_national_premium_rule() -> None:
    """The national default of EXCHANGE §9 (代缴金额 100), put back after a test flush."""
    if not PremiumRule.objects.filter(region_prefix="").exists():
        PremiumRule.objects.create(
            region_prefix="", effective_from=date(2014, 1, 1), amount=Decimal("100"),
            note="《数据交换说明》§9 全国默认值：城乡居民养老保险最低缴费档次 100 元",
        )  # fmt: skip


class PremiumShareRule(RegionalRule):
    """代缴分担: the shares of the province (region), the city and the county in the premiums paid, in
    percent adding to 100 (Guangxi: 6:4 region:city for a city's districts, 8:2 region:county)."""

    province_pct = models.DecimalField("省级比例（%）", max_digits=5, decimal_places=2, default=0)
    city_pct = models.DecimalField("市级比例（%）", max_digits=5, decimal_places=2, default=0)
    county_pct = models.DecimalField("县级比例（%）", max_digits=5, decimal_places=2, default=100)

    class Meta(RegionalRule.Meta):
        verbose_name = "代缴分担"
        verbose_name_plural = "代缴分担"

    def __str__(self):
        return (
            f"{self.region_prefix or '全国'} {self.effective_from}起：省 {self.province_pct}%、"
            f"市 {self.city_pct}%、县 {self.county_pct}%"
        )

    def clean(self):
        super().clean()
        parts = (self.province_pct, self.city_pct, self.county_pct)
        if any(p is None for p in parts):
            return
        if any(p < 0 for p in parts):
            raise ValidationError("分担比例不能为负数。")
        if sum(parts) != 100:
            raise ValidationError(f"省级、市级、县级比例合计应为 100，现为 {sum(parts)}。")

    def split(self, amount: Decimal) -> tuple[Decimal, Decimal, Decimal]:
        """(省级, 市级, 县级) of `amount`, to the fen; the county takes what rounding leaves."""
        cent = Decimal("0.01")
        province = (amount * self.province_pct / 100).quantize(cent)
        city = (amount * self.city_pct / 100).quantize(cent)
        return province, city, amount - province - city


class AgeingRule(RegionalRule):
    """养老待遇领取: the age at which 城乡居民养老保险 pays, how many months ahead the 60+ ledger lists
    people about to reach it, and the days after reaching it within which the benefit is to be claimed."""

    pension_age = models.PositiveSmallIntegerField("领取年龄（周岁）", default=60)
    notice_months = models.PositiveSmallIntegerField("提前提示月数", default=3)
    claim_days = models.PositiveSmallIntegerField("待遇申领期限（天）", default=30)

    class Meta(RegionalRule.Meta):
        verbose_name = "养老待遇领取"
        verbose_name_plural = "养老待遇领取"

    def __str__(self):
        return f"{self.region_prefix or '全国'} {self.effective_from}起：{self.pension_age} 周岁领取"

    def reached_by(self, on: date, prefix: str = "") -> models.Q:
        """Born so as to be `pension_age` or older on `on`."""
        return models.Q(**{f"{prefix}birth_date__lte": years_before(on, self.pension_age)})


def ensure_national_ageing_rule() -> None:
    if not AgeingRule.objects.filter(region_prefix="").exists():
        AgeingRule.objects.create(
            region_prefix="", effective_from=date(2014, 1, 1), pension_age=60, notice_months=3, claim_days=30,
            note="城乡居民基本养老保险：年满 60 周岁按月领取基础养老金",
        )  # fmt: skip


class RateTargetRule(RegionalRule):
    """社保扶贫目标: what the three rates should reach, in percent (the seeds: enrolment ≥ 99%, payment
    100%). No national default: without a version the rates are shown without a target."""

    pension_rate = models.DecimalField("养老参保率目标（%）", max_digits=5, decimal_places=2)
    medical_rate = models.DecimalField("医保参保率目标（%）", max_digits=5, decimal_places=2)
    payment_rate = models.DecimalField("养老待遇发放率目标（%）", max_digits=5, decimal_places=2)

    class Meta(RegionalRule.Meta):
        verbose_name = "社保扶贫目标"
        verbose_name_plural = "社保扶贫目标"

    def __str__(self):
        return (
            f"{self.region_prefix or '全国'} {self.effective_from}起：养老参保率 {self.pension_rate}%、"
            f"医保参保率 {self.medical_rate}%、发放率 {self.payment_rate}%"
        )

    def target(self, key: str) -> Decimal:
        return {"pension_enrolment": self.pension_rate, "medical_enrolment": self.medical_rate,
                "pension_payment": self.payment_rate}[key]  # fmt: skip
