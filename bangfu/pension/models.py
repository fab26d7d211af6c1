"""社保扶贫's rules, each a dated regional rule (core/rules.py): the premium the government pays for the
poor (养老保险代缴) and how the levels share it (代缴分担), the pension age and how early the 60+ ledger
looks ahead (养老待遇领取), and the targets of the three rates (社保扶贫目标)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.idnumber import mask_id
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

    province_pct = models.DecimalField("省级比例（%）", max_digits=5, decimal_places=2)
    city_pct = models.DecimalField("市级比例（%）", max_digits=5, decimal_places=2)
    county_pct = models.DecimalField("县级比例（%）", max_digits=5, decimal_places=2)

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


# -- 医疗负担 --------------------------------------------------------------------------------------------


class Settlement(models.Model):
    """医保结算: one settlement of a registry person, kept from a `medical-settlement` comparison run (the
    rows matched exactly by ID). The same settlement sent again (person, day, total and personal burden
    alike) is kept once."""

    person = models.ForeignKey(
        "registry.Person", verbose_name="人员", on_delete=models.CASCADE, related_name="settlements"
    )
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(
        "compare.ComparisonRun",
        verbose_name="比对批次",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    row_no = models.PositiveIntegerField("源行号", null=True)
    settled_on = models.DateField("结算日期")
    total = models.DecimalField("总费用", max_digits=12, decimal_places=2)
    basic = models.DecimalField("基本医保支付", max_digits=12, decimal_places=2, default=0)
    major = models.DecimalField("大病保险支付", max_digits=12, decimal_places=2, default=0)
    assistance = models.DecimalField("医疗救助支付", max_digits=12, decimal_places=2, default=0)
    personal = models.DecimalField("个人负担", max_digits=12, decimal_places=2)
    care_kind = models.CharField("医疗类别", max_length=10, blank=True)
    hospital_level = models.CharField("医院等级", max_length=4, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "医保结算"
        verbose_name_plural = "医保结算"
        ordering = ["-settled_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "settled_on", "total", "personal"], name="pension_settlement_unique"
            )
        ]
        indexes = [models.Index(fields=["area", "settled_on"])]

    def __str__(self):
        return f"{self.person_id} {self.settled_on} {self.total}"

    @property
    def masked_id(self) -> str:
        return mask_id(self.person.id_number)


class BurdenRule(RegionalRule):
    """医疗负担预警: the yearly personal burden (个人负担 summed over the year's settlements) above which a
    person is listed for the poverty department. No national default."""

    yearly_personal = models.DecimalField("年度个人负担预警线（元）", max_digits=12, decimal_places=2)

    class Meta(RegionalRule.Meta):
        verbose_name = "医疗负担预警"
        verbose_name_plural = "医疗负担预警"

    def __str__(self):
        region = self.region_prefix or "全国"
        return f"{region} {self.effective_from}起：年度个人负担超过 {self.yearly_personal} 元"


class MedicalPreferenceRule(RegionalRule):
    """医疗倾斜政策 (reference): the medical insurance's preferences for the poor as the seeds describe them
    (Ankang: no inpatient deductible, +10 points capped at 90 %, 90 % at level-1 hospitals, major-illness
    deductible 3,000, chronic outpatient up to 1,000 a year without deductible; elsewhere the major-illness
    deductible halved, +5 points), with the ordinary values they adjust. Read only by the estimator of what
    a settlement should have reimbursed (pension/estimate.py); the medical insurance pays by its own."""

    base_ratio = models.DecimalField("住院基本报销比例（%）", max_digits=5, decimal_places=2, default=70)
    deductible = models.DecimalField("住院起付线（元）", max_digits=10, decimal_places=2, default=800)
    waive_deductible = models.BooleanField("贫困人口免住院起付线", default=True)
    ratio_bonus = models.DecimalField("报销比例提高（百分点）", max_digits=5, decimal_places=2, default=10)
    ratio_cap = models.DecimalField("报销比例上限（%）", max_digits=5, decimal_places=2, default=90)
    level1_ratio = models.DecimalField("一级医院报销比例（%）", max_digits=5, decimal_places=2, default=90)
    major_deductible = models.DecimalField(
        "大病保险起付线（元）", max_digits=10, decimal_places=2, default=3000
    )
    major_ratio = models.DecimalField("大病保险报销比例（%）", max_digits=5, decimal_places=2, default=60)
    chronic_cap = models.DecimalField(
        "门诊慢特病年度限额（元）", max_digits=10, decimal_places=2, default=1000
    )
    tolerance = models.DecimalField("提示差额（元）", max_digits=10, decimal_places=2, default=100)

    class Meta(RegionalRule.Meta):
        verbose_name = "医疗倾斜政策"
        verbose_name_plural = "医疗倾斜政策"

    def __str__(self):
        return f"{self.region_prefix or '全国'} {self.effective_from}起：医疗倾斜政策（参考）"
