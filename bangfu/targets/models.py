"""Targets (目标): what an area is to reach in a year on one figure, with optional cumulative monthly
targets, and the files of targets imported. Progress is never stored: targets/progress.py computes it from
the figures (bangfu.stats.figures) whenever it is asked."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.background import Runner
from bangfu.targets import rows


class TargetQuerySet(AreaScopedQuerySet):
    def of_year(self, year: int):
        return self.filter(year=year)


class Target(models.Model):
    """One area's target for one year and one figure (a §8 figure's key, named by bangfu.stats.figures)."""

    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    figure = models.CharField("指标", max_length=40)
    value = models.PositiveIntegerField("目标值")
    # Cumulative monthly targets 1月 … 12月, each an int or null where not set; [] when none is set.
    monthly = models.JSONField("月度累计目标", default=list, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设定人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    set_in = models.ForeignKey(
        Area, verbose_name="设定区域", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["year", "area", "figure"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "figure"], name="targets_target_area_year_figure")
        ]
        indexes = [models.Index(fields=["year", "figure", "area"])]

    def __str__(self):
        return f"{self.year}年 {self.area_id} {self.figure_name} {self.value}"

    @property
    def figure_name(self) -> str:
        from bangfu.stats.figures import figure

        return figure(self.figure).name

    @property
    def months(self) -> tuple[int | None, ...]:
        given = list(self.monthly or [])
        return tuple((given + [None] * 12)[:12])

    def schedule(self, month: int) -> int | None:
        """The cumulative target due by the end of `month` (see rows.schedule)."""
        return rows.schedule(self.value, self.months, month)


class ImportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    STOPPED = "stopped", "中断"


class TargetImport(Runner):
    """One targets file (EXCHANGE §8) imported by an area: kept with its counts and its error report."""

    area = models.ForeignKey(Area, verbose_name="导入区域", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    file = models.FileField("文件", upload_to="imports/targets/%Y/%m/", max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField("数据行", default=0)
    valid_rows = models.PositiveIntegerField("有效行", default=0)
    error_rows = models.PositiveIntegerField("错误行", default=0)
    created = models.PositiveIntegerField("新增目标", default=0)
    updated = models.PositiveIntegerField("更新目标", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    message = models.TextField("说明", blank=True)
    report = models.FileField(
        "错误报告", upload_to="import-reports/targets/%Y/%m/", max_length=300, blank=True
    )
    errors = models.JSONField("错误明细", default=list, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "目标导入"
        verbose_name_plural = "目标导入"
        indexes = [models.Index(fields=["area", "created_at"])]

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.STOPPED)

    @property
    def resumable(self) -> bool:
        return self.status == ImportStatus.STOPPED

    def stopped_message(self) -> str:
        return "导入中断：处理进程已停止。目标在一个事务中保存，未保存任何目标。请重新上传该文件。"

    @property
    def report_filename(self) -> str:
        return f"{Path(self.original_name).stem}-错误报告.xlsx"
