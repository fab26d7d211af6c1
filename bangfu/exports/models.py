"""An export asked for by a user and written in the background (`tasks.run_export_task`): what, with which
filters, for which area, how far it has come, and the file, kept for its user until it expires."""

from django.conf import settings
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.background import STOPPED_LABEL, Runner


class Status(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    STOPPED = "stopped", STOPPED_LABEL  # its process is gone (core.background)
    EXPIRED = "expired", "已过期"  # done, and its file removed after BANGFU_EXPORT_KEEP_DAYS


FINISHED = (Status.DONE, Status.FAILED, Status.STOPPED, Status.EXPIRED)


class Export(Runner):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.PROTECT, related_name="+"
    )
    # The user's area when they asked: the rows come from it (and from what the user still sees).
    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("导出类型", max_length=40)  # a key of kinds.KINDS
    title = models.CharField("导出内容", max_length=100)
    params = models.JSONField("筛选条件", default=dict, blank=True)
    file_format = models.CharField("格式", max_length=4, choices=[("xlsx", "Excel"), ("csv", "CSV")])
    sensitive = models.BooleanField("含完整敏感信息", default=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已写行数", default=0)
    file = models.FileField("文件", upload_to="exports/%Y/%m/", max_length=300, blank=True)
    filename = models.CharField("下载文件名", max_length=200)
    message = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("文件保留至", null=True, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "导出"
        verbose_name_plural = "导出"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"]), models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"{self.title}（{self.get_file_format_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == Status.DONE:
            return 100
        return min(99, self.done * 100 // max(self.total, 1))

    def stopped_message(self) -> str:
        return "导出中断：处理进程已停止（被终止、崩溃或服务重启），文件没有生成。请重新导出。"
