"""The nightly capture of figures, run by `bangfu db_worker`: keeps every village's figures of the day
just over (and of any day since the last capture, up to a week), then queues itself for the next night.
Exactly one is pending: `ensure_nightly` is called by the capture itself, `bangfu serve` and `bangfu demo`."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger("bangfu.stats")

LOCK_KEY = 0x_E7_BB_9F_E8_AE_A1  # PostgreSQL advisory lock of ensure_nightly ("统计")
CATCH_UP_DAYS = 7


@task
def nightly_capture() -> str:
    from bangfu.stats.models import CapturedDay
    from bangfu.stats.store import capture

    try:
        yesterday = timezone.localdate() - timedelta(days=1)
        last = (
            CapturedDay.objects.filter(day__lt=yesterday)
            .order_by("-day")
            .values_list("day", flat=True)
            .first()
        )
        first = max(
            yesterday - timedelta(days=CATCH_UP_DAYS - 1), (last + timedelta(days=1)) if last else yesterday
        )
        done = []
        day = first
        while day <= yesterday:
            done.append(f"{day}：{capture(day).villages} 个村")
            day += timedelta(days=1)
        return "已保存统计 " + "；".join(done)
    finally:
        ensure_nightly()


def next_night(now: datetime | None = None) -> datetime:
    """The next BANGFU_STATS_CAPTURE_AT (local time) after `now`."""
    now = timezone.localtime(now)
    at = time.fromisoformat(settings.BANGFU_STATS_CAPTURE_AT)
    candidate = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    return candidate if candidate > now else candidate + timedelta(days=1)


def pending_nightly():
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=nightly_capture.module_path, status=TaskResultStatus.READY
    ).order_by("run_after", "enqueued_at")


def ensure_nightly() -> datetime:
    """Exactly one nightly capture waiting for the worker; returns when it will run."""
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
        nightly_capture.using(run_after=when).enqueue()
        logger.info("已安排每晚统计保存：%s", when)
        return when
