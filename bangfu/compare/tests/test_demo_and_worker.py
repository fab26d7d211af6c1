"""The demo's comparisons, and a large upload compared by the background worker."""

import pytest
from django.core.management import call_command

from bangfu.compare.actions import create_run
from bangfu.compare.models import ComparisonRun, Finding, Kind, RunStatus
from bangfu.compare.tasks import run_comparison_task
from bangfu.compare.tests.conftest import LONG, TODAY, write_source


def test_demo_comparisons_run_and_are_built_once(db, settings, tmp_path):
    from bangfu.compare.demo import ensure_comparisons
    from bangfu.demo.build import COUNTIES, ensure_areas, ensure_registry, ensure_users

    settings.DATA_DIR = tmp_path
    ensure_areas()
    ensure_users()
    ensure_registry(400)
    ensure_comparisons(COUNTIES, today=TODAY)
    runs = ComparisonRun.objects.order_by("id")
    assert [(r.source_type, r.status) for r in runs] == [
        ("social-insurance", RunStatus.DONE),
        ("death", RunStatus.DONE),
        ("social-insurance", RunStatus.DONE),
    ]
    assert Finding.objects.filter(run=runs[1], kind=Kind.CONFLICT, change="death").exists()
    assert Finding.objects.filter(run=runs[0], kind=Kind.UNMATCHED).count() >= 12
    ensure_comparisons(COUNTIES, today=TODAY)
    assert ComparisonRun.objects.count() == 3


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections between tasks
def test_worker_runs_a_queued_comparison(users, people, tmp_path):
    path = write_source(
        tmp_path / "死亡.xlsx", [{"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"}]
    )
    run = create_run(area=users["county_a"].area, user=users["county_a"], source_type="death", path=path)
    result = run_comparison_task.enqueue(run.pk)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    result.refresh()
    assert run.status == RunStatus.DONE and result.return_value == RunStatus.DONE
    assert Finding.objects.filter(run=run, change="death").count() == 1
    assert run_comparison_task.call(run.pk) == RunStatus.DONE  # queued again: not run twice
    assert Finding.objects.filter(run=run, change="death").count() == 1
