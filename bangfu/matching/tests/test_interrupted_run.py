"""An area run left 计算中 by a process that is gone is shown 中断, and can be run again."""

import pytest

from bangfu.core.tests.test_background import gone_runner
from bangfu.matching.models import MatchRun, RunStatus

pytestmark = pytest.mark.django_db


def test_an_interrupted_run_is_marked_and_offered_again(users, client_for):
    run = MatchRun.objects.create(
        area=users["county_a"].area, user=users["county_a"], status=RunStatus.RUNNING
    )
    MatchRun.objects.filter(pk=run.pk).update(runner=gone_runner())
    client = client_for(users["county_a"])
    page = client.get(f"/matching/runs/{run.pk}/").content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.STOPPED and run.finished and "计算进程已停止" in run.message
    assert "中断" in page and "重新匹配" in page and "every 2s" not in page


def test_a_run_in_a_live_process_is_left_running(users, client_for):
    from bangfu.core.background import runner_id

    run = MatchRun.objects.create(
        area=users["county_a"].area, user=users["county_a"], status=RunStatus.RUNNING
    )
    MatchRun.objects.filter(pk=run.pk).update(runner=runner_id())
    client_for(users["county_a"]).get("/matching/runs/")
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
