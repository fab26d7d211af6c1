"""Background work of exports, run by `bangfu db_worker` (Django's task framework, database backend): writing
a queued export, and the daily removal of expired files, which queues itself again for the next day.

Exactly one cleaning is pending at any time: `ensure_cleaning` keeps it so, and is called by the cleaning
itself when it ends, by `bangfu serve` and by `bangfu demo`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone

from bangfu.exports import actions
from bangfu.exports.models import Export

LOCK_KEY = 0x_E5_AF_BC_E5_87_BA  # PostgreSQL advisory lock: one caller of ensure_cleaning at a time


@task
def run_export_task(export_id: int) -> str:
    """Write one queued export; progress and outcome are kept on it for 我的导出."""
    claimed = actions.claim(export_id)
    export = Export.objects.select_related("user__area", "area").get(pk=export_id)
    if not claimed:
        return export.status  # taken by another worker, or queued again after it finished
    return actions.run_export(export).status


@task
def clean_exports_task() -> str:
    try:
        return f"已删除 {actions.clean_expired()} 个过期的导出文件。"
    finally:
        ensure_cleaning()


def pending_cleaning():
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=clean_exports_task.module_path, status=TaskResultStatus.READY
    ).order_by("run_after", "enqueued_at")


def ensure_cleaning() -> datetime:
    """Make sure exactly one cleaning is waiting for the worker (tomorrow at this hour when none is)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        waiting = list(pending_cleaning())
        if waiting:
            for extra in waiting[1:]:
                extra.delete()
            return waiting[0].run_after
        when = timezone.now() + timedelta(days=1)
        clean_exports_task.using(run_after=when).enqueue()
        return when
