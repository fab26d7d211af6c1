"""Background work of tracking, run by `bangfu db_worker` (Django's task framework, database backend):
large visits files, the nightly warning scan, which queues itself again for the next night, and scans
of many people changed at once (an import of records or visits).

Exactly one nightly scan is pending at any time: `ensure_nightly` keeps it so, and is called by the
scan itself when it ends, by `bangfu serve`, by `bangfu demo` and by `bangfu warnings schedule`."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone

from bangfu.core.background import runner_id

logger = logging.getLogger("bangfu.tracking")

LOCK_KEY = 0x_E9_A2_84_E8_AD_A7  # PostgreSQL advisory lock: one caller of ensure_nightly at a time


@task
def run_visit_import_task(batch_id: int) -> str:
    """Import one uploaded visits file; a batch already taken by another worker is left alone."""
    from bangfu.tracking.importer import run_visit_import
    from bangfu.tracking.models import ImportStatus, VisitImport

    claimed = VisitImport.objects.filter(pk=batch_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, runner=runner_id()
    )
    batch = VisitImport.objects.select_related("area", "user").get(pk=batch_id)
    if not claimed:
        return batch.status
    return run_visit_import(batch).status


@task
def nightly_scan() -> str:
    """Derive every person's 务工状态 and 务工时间(月) again as of today (a record whose 离职日期 has passed,
    a new month of work, change them with no write to any record), then scan every area as of today;
    tell the level above of warnings past their due day; queue the next night's scan."""
    from bangfu.employment.actions import refresh_everyone
    from bangfu.tracking.notify import escalate_overdue
    from bangfu.tracking.warnings import scan

    try:
        refresh_everyone()
        result = scan()
        escalated = escalate_overdue()
        return result.summary() + (f"逾期上报 {escalated} 条。" if escalated else "")
    finally:
        if not connection.in_atomic_block:
            # SQLite keeps a whole scan's temporary tables to the connection's end: free them now.
            connection.close()
        ensure_nightly()


def id_runs(ids: list[int]) -> list[list[int]]:
    """Sorted ids as runs [first, last] of consecutive ids: an import's million people (whose ids mostly
    follow one another) go to the queue as a few numbers instead of a million."""
    runs: list[list[int]] = []
    for pk in ids:
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


def ids_of(items: list) -> list[int]:
    """The ids a task was queued with: runs [first, last], or plain ids (as tasks queued before were)."""
    ids: list[int] = []
    for item in items:
        if isinstance(item, list):
            ids.extend(range(item[0], item[1] + 1))
        else:
            ids.append(item)
    return ids


@task
def scan_people_task(person_ids: list) -> str:
    """Scan the given people and their households (queued when too many changed at once to scan in the
    request, or when another scan was running); `person_ids` as runs of ids (`id_runs`)."""
    from bangfu.tracking.warnings import scan

    return scan(person_ids=ids_of(person_ids)).summary()


def next_night(now: datetime | None = None) -> datetime:
    """The next time of day BANGFU_WARNING_SCAN_AT (local time) after `now`."""
    now = timezone.localtime(now)
    at = time.fromisoformat(settings.BANGFU_WARNING_SCAN_AT)
    candidate = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    return candidate if candidate > now else candidate + timedelta(days=1)


def pending_nightly():
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=nightly_scan.module_path, status=TaskResultStatus.READY
    ).order_by("run_after", "enqueued_at")


def ensure_nightly() -> datetime:
    """Make sure exactly one nightly scan is waiting for the worker: queue it for the next night when
    none is, drop extra ones when several are. Returns when it will run."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        waiting = list(pending_nightly())
        if waiting:
            for extra in waiting[1:]:
                extra.delete()
            return waiting[0].run_after
        when = next_night()
        nightly_scan.using(run_after=when).enqueue()
        logger.info("已安排每晚预警扫描：%s", when)
        return when
