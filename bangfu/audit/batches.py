"""The audited steps of a kept import batch (`core/batches.FileImport`): kept on submission, finished
with its message, failed when its run broke, submitted again after an interruption — each with its audit
event in the same transaction."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.batches import FileImport, ImportStatus, reap_batches
from bangfu.core.problems import may_see_whole

WHOLE_ONLY = "错误报告含完整证件号码，只有导入人和有敏感信息查看权限的用户可以下载。"


def keep(batch: FileImport, *, path: Path | None = None, upload=None, name: str = "") -> FileImport:
    """Save a new batch with its file, so what was imported can always be looked at again."""
    if upload is not None:
        batch.original_name = name or upload.name
        batch.file.save(Path(batch.original_name).name, upload, save=False)
    else:
        batch.original_name = name or path.name
        with open(path, "rb") as fh:
            batch.file.save(path.name, ContentFile(fh.read()), save=False)
    batch.save()
    audit(Action.IMPORT, actor=batch.user, obj=batch, message=f"提交{batch.what}导入：{batch.original_name}")
    return batch


@transaction.atomic
def finish(batch: FileImport, *, status: str, message: str) -> FileImport:
    batch.status, batch.message, batch.finished_at = status, message, timezone.now()
    batch.save()
    done = "导入完成：" if status == ImportStatus.DONE else "导入失败："
    audit(Action.IMPORT, actor=batch.user, obj=batch, message=f"{batch.what}{done}{message}")
    return batch


def fail_if_running(batch: FileImport, exc: Exception) -> None:
    """Whatever broke, the batch must not stay 处理中 in a process that lives on."""
    if type(batch).objects.filter(pk=batch.pk, status=ImportStatus.RUNNING).exists():
        finish(batch, status=ImportStatus.FAILED, message=f"导入出错，未保存任何{batch.what}：{exc}")


@transaction.atomic
def resume(actor, batch: FileImport) -> FileImport:
    """Submit an interrupted import again (nothing of it was saved: one transaction)."""
    from django.core.exceptions import ValidationError

    reap_batches(type(batch).objects.filter(pk=batch.pk))
    batch = type(batch).objects.select_for_update().get(pk=batch.pk)
    if not batch.resumable:
        raise ValidationError("只有中断的导入可以重新提交；其他情况请改正文件后重新上传。")
    batch.status, batch.finished_at, batch.runner, batch.message = (
        ImportStatus.PENDING,
        None,
        "",
        "已重新提交。",
    )
    batch.save(update_fields=["status", "finished_at", "runner", "message"])
    audit(Action.IMPORT, actor=actor, obj=batch, message=f"重新提交{batch.what}导入：{batch.original_name}")
    return batch


def report_response(request, batch, *, what: str, personal: bool) -> FileResponse:
    """A batch's error report — its rejected rows as uploaded — as a download, audited. A file about people
    (`personal`: full ID numbers in it) only for its uploader and users who may see sensitive data."""
    if not batch.report:
        raise Http404("该批次没有错误报告。")
    if personal and not may_see_whole(request.user, batch):
        raise PermissionDenied(WHOLE_ONLY)
    audit(
        Action.EXPORT, actor=request.user, obj=batch, message=f"下载{what}导入错误报告：{batch.original_name}"
    )
    return FileResponse(batch.report.open("rb"), as_attachment=True, filename=batch.report_filename)
