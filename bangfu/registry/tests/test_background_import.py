"""A large upload goes to the background: the task runs in a real database worker."""

import pytest
from django.core.management import call_command

from bangfu.registry.actions import create_import_batch
from bangfu.registry.models import ImportStatus, Person
from bangfu.registry.tasks import run_import_task
from bangfu.registry.tests.conftest import messy_rows, write_xlsx


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections between tasks
def test_worker_runs_a_queued_import(areas, users, tmp_path):
    rows = [r for r, ok in messy_rows() if ok is True]
    batch = create_import_batch(
        area=areas["county_a"], user=users["county_a"], path=write_xlsx(tmp_path / "a.xlsx", rows)
    )
    result = run_import_task.enqueue(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING and Person.objects.count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    batch.refresh_from_db()
    result.refresh()
    assert batch.status == ImportStatus.DONE and batch.created == len(rows) == Person.objects.count()
    assert result.return_value == ImportStatus.DONE
