"""The daily work of 督办, run by `bangfu db_worker` (Django's task framework, database backend): remind
receivers of tasks coming due, report overdue ones to the level above, and queue itself for the next day
at BANGFU_SUPERVISION_AT. `ensure_daily` keeps exactly one waiting, as tracking's nightly scan does, and
is called by the task itself, `bangfu serve`, `bangfu demo` and `bangfu supervision schedule`."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger("bangfu.supervision")

LOCK_KEY = 0x_E7_9D_A3_E5_8A_9E  # PostgreSQL advisory lock: one caller of ensure_daily at a time


def run_daily(today=None) -> str:
    """Reminders and overdue reports as of `today`; what it did, in words."""
    from bangfu.supervision.notify import escalate_overdue, remind_due

    today = today or timezone.localdate()
    with transaction.atomic():
        reminded = remind_due(today)
        escalated = escalate_overdue(today)
    return f"督办：到期提醒 {reminded} 项，逾期上报 {escalated} 项。"


@task
def daily_supervision() -> str:
    try:
        return run_daily()
    finally:
        ensure_daily()


def next_run(now: datetime | None = None) -> datetime:
    """The next BANGFU_SUPERVISION_AT (local time) after `now`."""
    now = timezone.localtime(now)
    at = time.fromisoformat(settings.BANGFU_SUPERVISION_AT)
    candidate = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    return candidate if candidate > now else candidate + timedelta(days=1)


def pending_daily():
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=daily_supervision.module_path, status=TaskResultStatus.READY
    ).order_by("run_after", "enqueued_at")


def ensure_daily() -> datetime:
    """Exactly one daily run waiting for the worker: queue one when none is, drop extra ones."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        waiting = list(pending_daily())
        if waiting:
            for extra in waiting[1:]:
                extra.delete()
            return waiting[0].run_after
        when = next_run()
        daily_supervision.using(run_after=when).enqueue()
        logger.info("已安排每日督办提醒：%s", when)
        return when
