"""Keeping figures in the background (`bangfu db_worker`, stats/store.py), two tasks that queue
themselves again, exactly one of each pending (`ensure_nightly`, called by each run, `bangfu serve` and
`bangfu demo`):

- `nightly_capture` keeps every village's figures of the day just over (and of any day missed since the
  last capture, up to a week) at BANGFU_STATS_CAPTURE_AT;
- `refresh_today` keeps today's every BANGFU_STATS_REFRESH_MINUTES, so the statistics of a province are
  read, not computed, while they are asked."""

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
        last = CapturedDay.objects.filter(day__lt=yesterday).order_by("-day").first()
        day = max(
            yesterday - timedelta(days=CATCH_UP_DAYS - 1), last.day + timedelta(days=1) if last else yesterday
        )
        done = []
        while day <= yesterday:
            done.append(f"{day}：{capture(day).villages} 个村")
            day += timedelta(days=1)
        return "已保存统计 " + "；".join(done)
    finally:
        ensure_nightly()


@task
def refresh_today() -> str:
    from bangfu.stats.store import capture

    try:
        kept = capture(timezone.localdate())
        return f"已更新今日统计：{kept.villages} 个村，用时 {kept.seconds} 秒"
    finally:
        ensure_nightly(refresh_at=next_refresh())


def next_night(now: datetime | None = None) -> datetime:
    """The next BANGFU_STATS_CAPTURE_AT (local time) after `now`."""
    now = timezone.localtime(now)
    at = time.fromisoformat(settings.BANGFU_STATS_CAPTURE_AT)
    candidate = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    return candidate if candidate > now else candidate + timedelta(days=1)


def next_refresh(now: datetime | None = None) -> datetime:
    return timezone.localtime(now) + timedelta(minutes=settings.BANGFU_STATS_REFRESH_MINUTES)


def pending(which):
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=which.module_path, status=TaskResultStatus.READY).order_by(
        "run_after", "enqueued_at"
    )


def ensure_nightly(refresh_at: datetime | None = None) -> datetime:
    """Exactly one nightly capture and one refresh of today waiting for the worker (a new refresh at
    `refresh_at`, else at once); returns when the capture will run."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        whens = []
        for which, when in (
            (nightly_capture, next_night),
            (refresh_today, lambda: refresh_at or timezone.now()),
        ):
            waiting = list(pending(which))
            for extra in waiting[1:]:
                extra.delete()
            if waiting:
                whens.append(waiting[0].run_after)
            else:
                whens.append(when())
                which.using(run_after=whens[-1]).enqueue()
        return whens[0]
