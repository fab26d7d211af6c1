"""Dispatch (调度) and bulletins (通报): a monthly round of an area freezes the figures and target progress of
every child area as of the month's last day, ranks them and publishes a bulletin (an .xlsx and a PDF, kept
as files). What a round stores is what it published: nothing read later changes it.

A bulletin (通报, `DispatchRound` and its files) is a published ranking of areas. A notice (通知,
bangfu.notices.Notification) is an inbox message; each child area's staff get one when a round is published.

`DispatchRule` holds the days, as data: the day of the month the background task publishes the previous
month's rounds, and the annual report's deadline (15 December nationally)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet, _staff_area
from bangfu.core.rules import RegionalRule


class RoundQuerySet(AreaScopedQuerySet):
    def for_user(self, user):
        """The rounds of the user's subtree, and the bulletins the areas above published to it (a bulletin is
        sent to the areas below the one that publishes it: they read it, as published, and nothing else)."""
        area = _staff_area(user)
        if area is None:
            return self.none()
        low, high = area.code_range
        return self.filter(Q(area__code__range=(low, high)) | Q(area_id__in=area.ancestor_codes()))


class DispatchRound(models.Model):
    """One month's round of one area: its children's figures and progress frozen, ranked and published."""

    area = models.ForeignKey(Area, verbose_name="调度区域", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    as_of = models.DateField("数据截至")
    title = models.CharField("标题", max_length=200)
    figures = models.JSONField("指标", default=list)  # the figure keys shown, in order
    figure_names = models.JSONField("指标名称", default=dict)  # key → name, as published
    rank_figure = models.CharField("排名指标", max_length=40)
    previous = models.ForeignKey(
        "self", verbose_name="上一期", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    xlsx = models.FileField("通报（Excel）", upload_to="bulletins/%Y/%m/", max_length=300)
    pdf = models.FileField("通报（PDF）", upload_to="bulletins/%Y/%m/", max_length=300)
    xlsx_sha256 = models.CharField("Excel 校验值", max_length=64)
    pdf_sha256 = models.CharField("PDF 校验值", max_length=64)

    scope_field = "area"
    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "调度通报"
        verbose_name_plural = "调度通报"
        ordering = ["-year", "-month", "area"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "month"], name="dispatch_round_area_month")
        ]

    def __str__(self):
        return self.title

    @property
    def period(self) -> str:
        return f"{self.year}年{self.month}月"


class RoundEntry(models.Model):
    """One child area in a round, frozen: its name, figures, targets, schedule, completion and rank."""

    round = models.ForeignKey(
        DispatchRound, verbose_name="调度", on_delete=models.CASCADE, related_name="entries"
    )
    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("区域名称", max_length=100)
    position = models.PositiveIntegerField("顺序")
    is_total = models.BooleanField("合计行", default=False)
    values = models.JSONField("指标值", default=dict)  # key → int
    targets = models.JSONField("目标值", default=dict)  # key → int (only figures with a target)
    scheduled = models.JSONField("本月累计目标", default=dict)  # key → int
    rates = models.JSONField("完成率", default=dict)  # key → "12.3" (percent, one decimal)
    changes = models.JSONField("较上期", default=dict)  # key → int, when the previous round had the area
    rank = models.PositiveIntegerField("排名", null=True, blank=True)
    previous_rank = models.PositiveIntegerField("上期排名", null=True, blank=True)

    class Meta:
        verbose_name = "调度明细"
        verbose_name_plural = "调度明细"
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "area"], name="dispatch_entry_round_area")]

    def __str__(self):
        return f"{self.round} {self.name}"

    @property
    def rank_move(self) -> int | None:
        """Places gained since the previous round (negative: lost)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    def behind(self, key: str) -> int:
        due = self.scheduled.get(key)
        return max(due - self.values.get(key, 0), 0) if due is not None else 0


class DispatchRule(RegionalRule):
    """调度与年报: the day each month's rounds are published by the background task, and the annual report's
    deadline."""

    day_of_month = models.PositiveSmallIntegerField(
        "每月调度日", default=5, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    annual_due_month = models.PositiveSmallIntegerField(
        "年报截止月", default=12, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    annual_due_day = models.PositiveSmallIntegerField(
        "年报截止日", default=15, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )

    class Meta(RegionalRule.Meta):
        verbose_name = "调度与年报"
        verbose_name_plural = "调度与年报"

    def __str__(self):
        return (
            f"{self.region_prefix or '全国'} {self.effective_from}起：每月 {self.day_of_month} 日调度，"
            f"年报 {self.annual_due_month} 月 {self.annual_due_day} 日前报送"
        )

    def annual_deadline(self, year: int) -> dt.date:
        return dt.date(year, self.annual_due_month, self.annual_due_day)


NATIONAL_DISPATCH = {
    "region_prefix": "",
    "effective_from": dt.date(2016, 1, 1),
    "day_of_month": 5,
    "annual_due_month": 12,
    "annual_due_day": 15,
    "note": "年度报告12月15日前报送",
}


def ensure_national_dispatch_rule() -> None:
    if not DispatchRule.objects.exists():
        DispatchRule.objects.create(**NATIONAL_DISPATCH)
