"""A file imported into an area, kept with its counts, its first errors and its error report: the shape
of a small import's batch (areas' designations file), and the steps every such batch takes — kept on
submission, run with a runner, finished with an audited message, reaped when its process is gone.

An app's batch model subclasses `FileImport`, adding its file fields (their own upload folders) and its
counts; its importer calls `audit.batches.keep`, `start`, `audit.batches.finish` and `attach_report` around
its two phases. The steps that write the audit log live in `bangfu/audit/batches.py`: core stands on the
ground only (the area tree and exchange), and the area tree's own batch model (areas' designations file)
subclasses this one."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models

from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.background import STOPPED_LABEL, Runner, reap, runner_id
from bangfu.exchange.report import write_error_report


class ImportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    STOPPED = "stopped", STOPPED_LABEL  # its process is gone (core.background)


class FileImport(Runner):
    """The common part of a small import's batch; subclasses add `file`, `report` and their counts."""

    area = models.ForeignKey(
        "areas.Area", verbose_name="导入区域", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    original_name = models.CharField("原文件名", max_length=255)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField("数据行", default=0)
    valid_rows = models.PositiveIntegerField("有效行", default=0)
    error_rows = models.PositiveIntegerField("错误行", default=0)
    message = models.TextField("说明", blank=True)
    # The first errors (exchange.errors.error_list: row, column, value, reason), listed on the result page.
    errors = models.JSONField("错误明细", default=list, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()
    what = "文件"  # what the batch imports, in its audit messages (回访, 区域认定 …)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.STOPPED)

    @property
    def resumable(self) -> bool:
        return self.status == ImportStatus.STOPPED

    def stopped_message(self) -> str:
        return (
            f"导入中断：处理进程已停止（被终止、崩溃或服务重启）。{self.what}在一个事务中保存，未保存任何{self.what}。"
            "点“重新导入”重新处理该文件。"
        )

    @property
    def report_filename(self) -> str:
        """The error report as the user downloads it: named after their file, never the stored name."""
        return f"{Path(self.original_name).stem}-错误报告.xlsx"


def start(batch: FileImport) -> None:
    batch.runner = runner_id()
    type(batch).objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, runner=batch.runner)


def claim(model, pk: int) -> bool:
    """A worker takes a pending batch; False when another already has."""
    return bool(
        model.objects.filter(pk=pk, status=ImportStatus.PENDING).update(
            status=ImportStatus.RUNNING, runner=runner_id()
        )
    )


def attach_report(batch: FileImport, header, problems, report_path: Path | None) -> None:
    """The rejected rows as an .xlsx kept with the batch (and at `report_path` for the command)."""
    target = Path(report_path) if report_path else Path(batch.file.path).with_suffix(".errors.xlsx")
    write_error_report(target, header, problems)
    name = target.name if report_path else batch.report_filename
    with open(target, "rb") as fh:
        batch.report.save(name, ContentFile(fh.read()), save=False)
    if report_path is None:
        target.unlink()


def reap_batches(queryset) -> int:
    """Mark 中断 the batches of `queryset` left 处理中 by a process that is gone (core.background)."""
    return reap(
        queryset,
        running=ImportStatus.RUNNING,
        stopped=ImportStatus.STOPPED,
        message=lambda b: b.stopped_message(),
    )
