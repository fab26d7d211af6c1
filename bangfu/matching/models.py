"""Matching settings (weights and the capacity cap, as data with a region and an effective date) and
area runs (a whole area matched in the background, its result file kept for download)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.background import STOPPED_LABEL, Runner
from bangfu.core.rules import RegionalRule


class MatchingRule(RegionalRule):
    """Weights of the score's components (points, scaled to 100 in total) and how far a job is pushed."""

    occupation = models.FloatField("职业相符权重", default=40)
    wage = models.FloatField("薪资权重", default=15)
    distance = models.FloatField("地域权重", default=15)
    board = models.FloatField("包吃住权重", default=5)
    skills = models.FloatField("技能权重", default=10)
    past = models.FloatField("从业经历权重", default=10)
    low_skill = models.FloatField("低技能适合权重", default=5)
    top = models.PositiveSmallIntegerField("每人推荐岗位数", default=10)
    cap_multiple = models.FloatField("岗位推送人数上限（剩余名额的倍数）", default=10)
    cap_min = models.PositiveSmallIntegerField("岗位推送人数下限", default=5)

    class Meta(RegionalRule.Meta):
        verbose_name = "匹配规则"
        verbose_name_plural = "匹配规则"

    WEIGHTS = ("occupation", "wage", "distance", "board", "skills", "past", "low_skill")

    def __str__(self):
        return f"{self.region_prefix or '全国'} {self.effective_from}起"

    def clean(self):
        super().clean()
        weights = [getattr(self, name) or 0 for name in self.WEIGHTS]
        if any(w < 0 for w in weights) or sum(weights) <= 0:
            raise ValidationError("各项权重不能为负数，且合计应大于 0。")
        if self.cap_multiple is not None and self.cap_multiple <= 0:
            raise ValidationError({"cap_multiple": "应大于 0。"})


class RunStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "计算中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    STOPPED = "stopped", STOPPED_LABEL  # its process is gone (core.background)


class MatchRun(Runner):
    """One area run: every laborer of the area who wants work, matched in the background."""

    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    top = models.PositiveSmallIntegerField("每人岗位数", default=10)
    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    laborers = models.PositiveIntegerField("劳动力", default=0)
    jobs = models.PositiveIntegerField("岗位", default=0)
    pairs = models.PositiveIntegerField("推荐", default=0)
    matched = models.PositiveIntegerField("有推荐的劳动力", default=0)
    message = models.TextField("说明", blank=True)
    file = models.FileField("结果文件", upload_to="matching/%Y/%m/", max_length=300, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "区域匹配"
        verbose_name_plural = "区域匹配"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.area.name} 人岗匹配 {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED, RunStatus.STOPPED)

    def stopped_message(self) -> str:
        return "匹配中断：计算进程已停止（被终止、崩溃或服务重启），没有结果文件。点“重新匹配”再算一次。"
