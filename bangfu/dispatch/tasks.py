"""Background work of dispatch, run by `bangfu db_worker`: each day, the rounds due that day — for every area
that has split a target among its children for the year, on the 调度与年报 rule's day of the month, the
previous month's round, unless it is published already. The task queues itself for the next day; exactly
one is pending (`ensure_daily`, called by `bangfu serve`)."""

from __future__ import annotations

import datetime as dt
import logging
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger("bangfu.dispatch")
LOCK_KEY = 0x_E8_B0_83_E5_BA_A6  # PostgreSQL advisory lock: one caller of ensure_daily at a time
RUN_AT = time(3, 0)


def due_areas(today: dt.date) -> list:
    """Areas whose round for last month is due today: they split a target of last month's year among their
    children, the rule in force for them names today's day, and the round is not published yet."""
    from bangfu.areas.models import Area
    from bangfu.dispatch.actions import last_month
    from bangfu.dispatch.models import DispatchRound, DispatchRule
    from bangfu.targets.models import Target

    year, month = last_month(today)
    parents = set(
        Target.objects.filter(year=year, area__parent__isnull=False).values_list("area__parent_id", flat=True)
    )
    done = set(DispatchRound.objects.filter(year=year, month=month).values_list("area_id", flat=True))
    book = DispatchRule.objects.book(today)
    areas = Area.objects.filter(code__in=parents - done).order_by("code")
    return [
        a for a in areas if (rule := book.for_code(a.code)) is not None and rule.day_of_month == today.day
    ]


def publish_due(today: dt.date | None = None) -> list:
    """Publish every round due today; one failing area does not stop the others."""
    from bangfu.dispatch.actions import last_month, publish_round

    today = today or timezone.localdate()
    year, month = last_month(today)
    published = []
    for area in due_areas(today):
        try:
            published.append(publish_round(None, area, year=year, month=month, today=today))
        except ValidationError as exc:
            logger.warning("%s 调度未发布：%s", area.code, "；".join(exc.messages))
    return published


@task
def daily_dispatch() -> str:
    try:
        published = publish_due()
        return f"发布调度通报 {len(published)} 期。"
    finally:
        ensure_daily()


def pending_daily():
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=daily_dispatch.module_path, status=TaskResultStatus.READY
    ).order_by("run_after", "enqueued_at")


def ensure_daily() -> datetime:
    """Exactly one daily dispatch waiting for the worker; returns when it will run."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        waiting = list(pending_daily())
        if waiting:
            for extra in waiting[1:]:
                extra.delete()
            return waiting[0].run_after
        now = timezone.localtime()
        when = datetime.combine(now.date(), RUN_AT, tzinfo=now.tzinfo)
        when = when if when > now else when + timedelta(days=1)
        daily_dispatch.using(run_after=when).enqueue()
        return when
