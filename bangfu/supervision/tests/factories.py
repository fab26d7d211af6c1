"""Building blocks of the 督办 tests: a task sent by a user to areas by code, files, and moving a due day
into the past (the actions refuse a past due day, as the pages do)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bangfu.conftest import area
from bangfu.supervision import actions
from bangfu.supervision.models import Assignment

TODAY = timezone.localdate()


def upload(name="材料.pdf", content=b"%PDF-1.4 test"):
    return SimpleUploadedFile(name, content)


def send(user, *codes, days=10, title="督办：春风行动", files=()):
    return actions.create_task(
        user, title=title, content="请按要求落实并报送。", due_on=TODAY + dt.timedelta(days=days),
        leader="副局长", unit="就业服务中心", areas=[area(c) for c in codes], files=files,
    )  # fmt: skip


def make_overdue(task, days=1):
    """The task's due day `days` ago (as if sent earlier)."""
    past = TODAY - dt.timedelta(days=days)
    type(task).objects.filter(pk=task.pk).update(due_on=past)
    Assignment.objects.filter(task=task).update(due_on=past)
    task.refresh_from_db()
    return task
