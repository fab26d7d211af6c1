"""The payout core (补贴发放): a list (发放名单) per item, area and period, its lines (one proposed payment
each, checked before anyone approves), the payees' bank accounts, and how the money is shared by level.

A list moves 草稿 → 已校验 → 已审核 → 已发放, or is 退回 from 已校验 or 已审核 (then it pays nothing and a
new list may be built). Only lines whose result is 通过 carry an amount."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.idnumber import mask_id
from bangfu.core.rules import RegionalRule


class Status(models.TextChoices):
    DRAFT = "草稿", "草稿"
    CHECKED = "已校验", "已校验"
    APPROVED = "已审核", "已审核"
    PAID = "已发放", "已发放"
    RETURNED = "退回", "退回"


OPEN = (Status.DRAFT, Status.CHECKED, Status.APPROVED)  # not yet paid, not returned


class Result(models.TextChoices):
    """校验结果 (EXCHANGE §11), in the order the checks run; "" before the checks."""

    PASSED = "通过", "通过"
    DECEASED = "已故", "已故"
    DUPLICATE = "重复发放", "重复发放"
    TWO_POSTS = "一人多岗", "一人多岗"
    INELIGIBLE = "不符合条件", "不符合条件"


FAILURES = (Result.DECEASED, Result.DUPLICATE, Result.TWO_POSTS, Result.INELIGIBLE)


class PayoutList(models.Model):
    kind = models.CharField("补贴项目代码", max_length=30)
    item = models.CharField("补贴项目", max_length=50)
    basis = models.CharField("政策依据", max_length=300, blank=True)
    period = models.CharField("期间", max_length=7)
    area = models.ForeignKey(Area, verbose_name="发放区域", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    lines_count = models.PositiveIntegerField("人数", default=0)
    passed_count = models.PositiveIntegerField("通过", default=0)
    failed_count = models.PositiveIntegerField("未通过", default=0)
    total = models.DecimalField("发放金额（元）", max_digits=14, decimal_places=2, default=Decimal("0"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    built_at = models.DateTimeField("生成时间", auto_now_add=True)
    checked_at = models.DateTimeField("校验时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发放人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    paid_at = models.DateTimeField("发放时间", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="退回人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "发放名单"
        verbose_name_plural = "发放名单"
        ordering = ["-period", "-built_at", "-id"]
        indexes = [models.Index(fields=["kind", "period", "status"]), models.Index(fields=["area", "period"])]

    def __str__(self):
        return f"{self.item} {self.period} {self.area.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class LineQuerySet(AreaScopedQuerySet):
    def passed(self):
        return self.filter(result=Result.PASSED)


class Line(models.Model):
    """One proposed payment. The payee is a registry person or, for rewards, an employer; `id_number` and
    `name` are the payee's as the list was built (an employer's: its 统一社会信用代码 and name), and
    `area_code` the payee's area then (a person's village, an employer's place), which totals roll up by.
    `kind` and `period` repeat the list's, so a payment already made is found by one index.

    Its three keys have no database constraint (Django still applies `on_delete`): a list's lines are
    written only by the core's set-based inserts, with the list's own id and payees read from the registry
    and the employer list in the same statement, and PostgreSQL checked every key of a province's 476,602
    lines once more at commit (11.5 s of a 44 s build, bench/payouts_transport.py)."""

    payout_list = models.ForeignKey(
        PayoutList,
        verbose_name="发放名单",
        on_delete=models.CASCADE,
        related_name="lines",
        db_constraint=False,
    )
    kind = models.CharField("补贴项目代码", max_length=30)
    period = models.CharField("期间", max_length=7)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="人员",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name="单位",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    id_number = models.CharField("证件号码", max_length=18, blank=True)
    name = models.CharField("姓名", max_length=100, blank=True)
    area_code = models.CharField("所在区域", max_length=12, blank=True)
    proposed = models.DecimalField("核定金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    quantity = models.PositiveIntegerField("计量", null=True, blank=True)  # the kind's quantity_label
    failed = models.CharField("项目校验", max_length=10, blank=True)  # the program's own failure
    result = models.CharField("校验结果", max_length=10, choices=Result.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    ref = models.CharField("项目编号", max_length=60, blank=True)

    scope_field = "payout_list__area"
    objects = LineQuerySet.as_manager()

    class Meta:
        verbose_name = "发放明细"
        verbose_name_plural = "发放明细"
        ordering = ["payout_list", "id"]
        indexes = [
            models.Index(fields=["payout_list", "result"]),
            models.Index(fields=["kind", "period", "person"]),
            models.Index(fields=["kind", "period", "employer"]),
        ]

    def __str__(self):
        return f"{self.name} {self.kind} {self.period}"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number) if self.person_id or not self.employer_id else self.id_number


class Card(models.TextChoices):
    SOCIAL_SECURITY = "社会保障卡", "社会保障卡"
    ONE_CARD = "惠民惠农一卡通", "惠民惠农一卡通"
    BANK = "单位银行账户", "单位银行账户"


def mask_account(number: str) -> str:
    """A bank account as lists show it: the first 4 and last 4 digits."""
    number = number or ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


class PayeeAccount(models.Model):
    """Where a payee's money goes: a person's 社会保障卡 or 惠民惠农一卡通 account, or an employer's bank
    account. Shown masked in every list; in full only in the bank file, whose every export is audited."""

    person = models.OneToOneField(
        "registry.Person", verbose_name="人员", on_delete=models.CASCADE, null=True, blank=True,
        related_name="payee_account",
    )  # fmt: skip
    employer = models.OneToOneField(
        "employers.Employer", verbose_name="单位", on_delete=models.CASCADE, null=True, blank=True,
        related_name="payee_account",
    )  # fmt: skip
    area = models.ForeignKey(Area, verbose_name="所在区域", on_delete=models.PROTECT, related_name="+")
    card = models.CharField("账户类型", max_length=10, choices=Card.choices, default=Card.SOCIAL_SECURITY)
    bank = models.CharField("开户银行", max_length=60)
    number = models.CharField("账号", max_length=32)
    holder = models.CharField("户名", max_length=100)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "收款账户"
        verbose_name_plural = "收款账户"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, employer__isnull=True)
                | models.Q(person__isnull=True, employer__isnull=False),
                name="payouts_account_one_payee",
            )
        ]

    def __str__(self):
        return f"{self.holder} {self.bank} {self.masked}"

    @property
    def masked(self) -> str:
        return mask_account(self.number)


class ShareRule(RegionalRule):
    """补贴资金分担: the shares of the province, the city and the county in the money a list pays, in
    percent adding to 100."""

    province_pct = models.DecimalField("省级比例（%）", max_digits=5, decimal_places=2, default=0)
    city_pct = models.DecimalField("市级比例（%）", max_digits=5, decimal_places=2, default=0)
    county_pct = models.DecimalField("县级比例（%）", max_digits=5, decimal_places=2, default=100)

    class Meta(RegionalRule.Meta):
        verbose_name = "补贴资金分担"
        verbose_name_plural = "补贴资金分担"

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

    def split(self, amount: Decimal) -> dict[str, Decimal]:
        """The amount by level, to the fen; the county takes what rounding leaves."""
        cent = Decimal("0.01")
        province = (amount * self.province_pct / 100).quantize(cent)
        city = (amount * self.city_pct / 100).quantize(cent)
        return {"省级": province, "市级": city, "县级": amount - province - city}


class Right(models.TextChoices):
    """The two rights of the payout core, held apart: approving a list, and exporting its bank file."""

    APPROVE = "approve", "补贴发放审核"
    EXPORT = "export", "补贴发放导出"


class PayoutRight(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="payout_rights"
    )
    right = models.CharField("权限", max_length=10, choices=Right.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="授予人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    scope_field = "user__area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "补贴发放权限"
        verbose_name_plural = "补贴发放权限"
        constraints = [models.UniqueConstraint(fields=["user", "right"], name="payouts_right_unique")]

    def __str__(self):
        return f"{self.user} {self.get_right_display()}"
