"""Entrepreneurship (创业): ventures of registry people (`Venture`, linked to the employer directory once
it hires), their guarantee loans (`Loan`, 创业担保贷款) with repayments (`Repayment`), incubators and parks
(`Incubator`) with their residents and free rent (`Residency`), and the rules of the program: 创业担保贷款
贴息 (`InterestRule`), 一次性创业补贴 (`StartupRule`) and 带动就业补贴 (`JobsRule`)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.rules import RegionalRule
from bangfu.employers.models import Employer
from bangfu.registry.models import Person

MONEY = {"max_digits": 12, "decimal_places": 2}


class VentureKind(models.TextChoices):
    SOLE = "个体工商户", "个体工商户"
    SMALL = "小微企业", "小微企业"
    COOPERATIVE = "农民专业合作社", "农民专业合作社"
    FAMILY_FARM = "家庭农场", "家庭农场"
    ONLINE = "网店", "网店"
    OTHER = "其他", "其他"


class Venture(models.Model):
    """A business a registry person started (创业): what and when, the jobs it created (带动就业人数, as
    last reported) and, once it hires and is in the employer directory, that employer."""

    person = models.ForeignKey(Person, verbose_name="创业人", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("经营实体名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=VentureKind.choices)
    industry = models.CharField("行业", max_length=50, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    started_on = models.DateField("创业日期")
    closed_on = models.DateField("停业日期", null=True, blank=True)
    jobs = models.PositiveIntegerField("带动就业人数", default=0)
    employer = models.ForeignKey(
        Employer, verbose_name="用人单位", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "创业实体"
        verbose_name_plural = "创业实体"
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["area", "started_on"], name="ventures_venture_area_day"),
            models.Index(fields=["started_on"], name="ventures_venture_day"),
            models.Index(fields=["person"], name="ventures_venture_person"),
        ]

    def __str__(self):
        return self.name


class LoanStatus(models.TextChoices):
    CURRENT = "正常", "正常"
    SETTLED = "已结清", "已结清"
    OVERDUE = "逾期", "逾期"
    COMPENSATED = "代偿", "代偿"


class Loan(models.Model):
    """A guarantee loan (创业担保贷款) to a venture's founder: bank, amount, yearly rate, term from the day
    granted, status. The interest subsidy schedule is computed (ventures/interest.py), never stored."""

    venture = models.ForeignKey(
        Venture, verbose_name="创业实体", on_delete=models.PROTECT, related_name="loans"
    )
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    bank = models.CharField("贷款银行", max_length=100)
    contract = models.CharField("合同编号", max_length=40)
    amount = models.DecimalField("贷款金额（元）", validators=[MinValueValidator(Decimal("1"))], **MONEY)
    rate = models.DecimalField(
        "年利率（%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("30"))],
    )
    term_months = models.PositiveSmallIntegerField("期限（月）", validators=[MinValueValidator(1)])
    granted_on = models.DateField("放款日期")
    status = models.CharField("状态", max_length=4, choices=LoanStatus.choices, default=LoanStatus.CURRENT)
    status_on = models.DateField("状态日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "创业担保贷款"
        verbose_name_plural = "创业担保贷款"
        ordering = ["-granted_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["bank", "contract"], name="ventures_loan_contract")]
        indexes = [models.Index(fields=["area", "granted_on"], name="ventures_loan_area_day")]

    def __str__(self):
        return f"{self.bank} {self.contract}"


class Repayment(models.Model):
    loan = models.ForeignKey(Loan, verbose_name="贷款", on_delete=models.PROTECT, related_name="repayments")
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField("还款日期")
    principal = models.DecimalField("归还本金（元）", validators=[MinValueValidator(Decimal("0"))], **MONEY)
    interest = models.DecimalField("支付利息（元）", validators=[MinValueValidator(Decimal("0"))], **MONEY)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "贷款还款"
        verbose_name_plural = "贷款还款"
        ordering = ["paid_on", "id"]

    def __str__(self):
        return f"{self.loan_id} {self.paid_on} {self.principal}"


class IncubatorKind(models.TextChoices):
    INCUBATOR = "创业孵化基地", "创业孵化基地"
    PARK = "创业园区", "创业园区"
    RETURNEE = "返乡入乡创业园", "返乡入乡创业园"


class Incubator(models.Model):
    area = models.ForeignKey(Area, verbose_name="所在地区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=IncubatorKind.choices)
    places = models.PositiveIntegerField("入驻容量（户）", default=0)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "创业孵化载体"
        verbose_name_plural = "创业孵化载体"
        ordering = ["area_id", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="ventures_incubator_area_name")]

    def __str__(self):
        return self.name


class Residency(models.Model):
    """A venture in an incubator or park: moved in, moved out, and the rent waived (免租) per month until a
    day."""

    incubator = models.ForeignKey(
        Incubator, verbose_name="孵化载体", on_delete=models.PROTECT, related_name="residents"
    )
    venture = models.ForeignKey(
        Venture, verbose_name="创业实体", on_delete=models.PROTECT, related_name="residencies"
    )
    area = models.ForeignKey(Area, verbose_name="所在地区", on_delete=models.PROTECT, related_name="+")
    moved_in = models.DateField("入驻日期")
    moved_out = models.DateField("退出日期", null=True, blank=True)
    free_rent = models.DecimalField("免租金额（元/月）", default=Decimal("0"), **MONEY)
    free_until = models.DateField("免租截止日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "入驻"
        verbose_name_plural = "入驻"
        ordering = ["-moved_in", "-id"]

    def __str__(self):
        return f"{self.venture_id} @ {self.incubator_id}"


class InterestRule(RegionalRule):
    """创业担保贷款贴息: the share of the interest the budget pays, on at most `max_amount` of principal and
    for at most `max_months` from the day granted. No national default: without a version, no subsidy."""

    share = models.PositiveSmallIntegerField(
        "贴息比例（%）", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_amount = models.DecimalField("贴息本金上限（元）", **MONEY)
    max_months = models.PositiveSmallIntegerField("贴息期限（月）")

    class Meta(RegionalRule.Meta):
        verbose_name = "创业担保贷款贴息"
        verbose_name_plural = "创业担保贷款贴息"

    def __str__(self):
        region = self.region_prefix or "全国"
        limit = f"本金不超过 {self.max_amount} 元，{self.max_months} 个月"
        return f"{region} {self.effective_from}起：贴息 {self.share}%，{limit}"


class StartupRule(RegionalRule):
    """一次性创业补贴: the amount for a venture started in the year that is still open at least `min_months`
    months after it started (or by the end of the year asked). No national default."""

    amount = models.DecimalField("补贴标准（元）", validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    min_months = models.PositiveSmallIntegerField("最短经营月数")

    class Meta(RegionalRule.Meta):
        verbose_name = "一次性创业补贴"
        verbose_name_plural = "一次性创业补贴"

    def __str__(self):
        region = self.region_prefix or "全国"
        return f"{region} {self.effective_from}起：{self.amount} 元，经营满 {self.min_months} 个月"


class JobsRule(RegionalRule):
    """带动就业补贴: the amount per job a venture started in the year created, when it created at least
    `min_jobs`. No national default."""

    amount = models.DecimalField(
        "每人补贴标准（元）", validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    min_jobs = models.PositiveSmallIntegerField("最少带动就业人数", default=1)

    class Meta(RegionalRule.Meta):
        verbose_name = "带动就业补贴"
        verbose_name_plural = "带动就业补贴"

    def __str__(self):
        region = self.region_prefix or "全国"
        return f"{region} {self.effective_from}起：每人 {self.amount} 元，至少 {self.min_jobs} 人"
