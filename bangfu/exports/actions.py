"""Exports, one way for every kind (`kinds.py`): asked for in a request, written there when small
(`BANGFU_EXPORT_INLINE_ROWS` rows or fewer) or else by the background worker with its progress on an
`Export`, downloaded by its user from 我的导出 until it expires (`BANGFU_EXPORT_KEEP_DAYS`). Every export is
audited with its row count when its file is written, and every download of a kept file too."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.background import reap, runner_id
from bangfu.exchange.report import excel_overflow, write_frames, write_table
from bangfu.exports import kinds
from bangfu.exports.models import Export, Status

logger = logging.getLogger("bangfu.exports")

PROGRESS_EVERY = 2.0  # seconds between progress writes
FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class Asked:
    """What asking for an export gave: the file written now (`path`, `rows`), or a job for the worker."""

    filename: str
    path: Path | None = None
    rows: int = 0
    job: Export | None = None


def _filename(kind: kinds.ExportKind, user, fmt: str) -> str:
    return f"{kind.title}-{user.area.short_code}-{timezone.localdate():%Y%m%d}.{fmt}"


def _message(kind, rows: int, fmt: str, sensitive: bool, params: dict, how: str = "") -> str:
    conditions = kinds.shown(params)
    return (
        f"导出{kind.title} {rows} {kind.noun}（{fmt}{how}）"
        + ("，证件号码完整" if sensitive else "，证件号码已脱敏")
        + (f"，筛选条件：{conditions}" if conditions else "")
    )


def ask(user, key: str, params: dict[str, list[str]], fmt: str, *, folder: Path) -> Asked:
    """A user asks for an export of kind `key` with the list's filters. Refused (PermissionDenied) when the
    kind is not for them, ValidationError when the filters do not read or an .xlsx would overflow. Small
    ones are written at once into `folder` and audited; others become a job queued for the worker."""
    kind = kinds.get(key)
    if refusal := kind.refusal(user):
        raise PermissionDenied(refusal)
    fmt = fmt if fmt in FORMATS else "xlsx"
    sensitive = kind.sensitive(user)
    table = kind.build(user, user.area, kinds.as_query(params), sensitive)
    total = table.count()
    if fmt == "xlsx" and (too_many := excel_overflow(total)):
        raise ValidationError(too_many)
    filename = _filename(kind, user, fmt)
    if total <= settings.BANGFU_EXPORT_INLINE_ROWS:
        path = folder / f"{uuid.uuid4().hex}.{fmt}"
        rows = _write(path, table, fmt)
        message = _message(kind, rows, fmt, sensitive, params)
        audit(Action.EXPORT, actor=user, area_code=user.area_id, message=message)
        return Asked(filename, path=path, rows=rows)
    with transaction.atomic():
        job = Export.objects.create(
            user=user, area=user.area, kind=key, title=kind.title, params=params, file_format=fmt,
            sensitive=sensitive, total=total, filename=filename,
        )  # fmt: skip
        transaction.on_commit(lambda: _enqueue(job.pk))
    return Asked(filename, job=job)


def _enqueue(export_id: int) -> None:
    from bangfu.exports.tasks import run_export_task

    run_export_task.enqueue(export_id)


def claim(export_id: int) -> bool:
    """The worker takes a queued job (one UPDATE: a job queued twice, or taken already, is not run twice)."""
    return bool(
        Export.objects.filter(pk=export_id, status=Status.PENDING).update(
            status=Status.RUNNING, runner=runner_id(), started_at=timezone.now()
        )
    )


def _write(path: Path, table: kinds.Table, fmt: str, export: Export | None = None) -> int:
    """Write the table's rows (as frames when the kind makes them), counting them for the job's page."""
    if table.frames is not None:
        frames = table.frames()
        return write_frames(
            path, table.header, _counted(export, frames, len) if export else frames, file_format=fmt
        )
    rows = table.rows()
    return write_table(
        path, table.header, _counted(export, rows, lambda row: 1) if export else rows, file_format=fmt
    )


def _counted(export: Export, items: Iterable, size) -> Iterator:
    """The rows (or frames of rows), writing how many have passed to the job every PROGRESS_EVERY seconds
    for its page."""
    last = time.monotonic()
    done = 0
    for item in items:
        yield item
        done += size(item)
        if (now := time.monotonic()) - last >= PROGRESS_EVERY:
            Export.objects.filter(pk=export.pk).update(done=done)
            last = now


def run_export(export: Export) -> Export:
    """Write a claimed job's file under MEDIA_ROOT/exports/YYYY/MM/, then mark it done and audit it with its
    row count, in one transaction. A failure marks it 失败 with the reason and leaves no file."""
    kind = kinds.get(export.kind)
    user = export.user
    now = timezone.now()
    relative = Path("exports") / f"{now:%Y}" / f"{now:%m}" / f"{uuid.uuid4().hex}.{export.file_format}"
    path = Path(settings.MEDIA_ROOT) / relative
    partial = path.with_suffix(path.suffix + ".part")
    try:
        if refusal := kind.refusal(user):
            raise PermissionDenied(refusal)
        sensitive = export.sensitive and kind.sensitive(user)  # a right withdrawn meanwhile: masked
        table = kind.build(user, export.area, kinds.as_query(export.params), sensitive)
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = _write(partial, table, export.file_format, export)
        partial.rename(path)
        with transaction.atomic():
            Export.objects.filter(pk=export.pk).update(
                status=Status.DONE, done=rows, file=str(relative), finished_at=timezone.now(),
                expires_at=timezone.now() + timedelta(days=settings.BANGFU_EXPORT_KEEP_DAYS),
                message=f"已导出 {rows} {kind.noun}。",
            )  # fmt: skip
            export.refresh_from_db()
            audit(
                Action.EXPORT,
                actor=user,
                obj=export,
                message=_message(kind, rows, export.file_format, export.sensitive, export.params, "，后台"),
            )
    except Exception as exc:
        partial.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        reason = "；".join(getattr(exc, "messages", [])) or "系统错误"
        Export.objects.filter(pk=export.pk).update(
            status=Status.FAILED, finished_at=timezone.now(), message=f"导出失败：{reason}。请重新导出。"
        )
        export.refresh_from_db()
        if not isinstance(exc, (PermissionDenied, ValidationError)):
            raise
    return export


def reap_exports(queryset) -> int:
    """Jobs left 处理中 by a process that is gone become 中断 (core.background), for their pages."""
    return reap(queryset, running=Status.RUNNING, stopped=Status.STOPPED, message=Export.stopped_message)


def downloadable(export: Export) -> bool:
    return (
        export.status == Status.DONE
        and bool(export.file)
        and (export.expires_at is None or export.expires_at > timezone.now())
    )


def record_download(user, export: Export) -> None:
    audit(
        Action.EXPORT,
        actor=user,
        obj=export,
        message=f"下载导出文件：{export.title} {export.done} 行（{export.file_format}），{export.filename}",
    )


def clean_expired(now=None) -> int:
    """Remove the files of jobs past their `expires_at` and mark them 已过期; returns how many."""
    now = now or timezone.now()
    expired = Export.objects.filter(status=Status.DONE, expires_at__lte=now)
    cleaned = 0
    for export in expired.only("pk", "file"):
        if export.file:
            export.file.storage.delete(export.file.name)
        cleaned += Export.objects.filter(pk=export.pk, status=Status.DONE).update(
            status=Status.EXPIRED, file="", message="文件已过保留期限，已删除。如需要请重新导出。"
        )
    if cleaned:
        logger.info("已删除 %s 个过期的导出文件", cleaned)
    return cleaned
