"""Background work for matching, run by `bangfu db_worker` (Django's task framework, database backend)."""

from django.tasks import task

from bangfu.core.background import runner_id
from bangfu.matching.actions import execute_run
from bangfu.matching.models import MatchRun, RunStatus


@task
def run_match_task(run_id: int) -> str:
    """Match one area run; progress and outcome are kept on the run for the page to show."""
    claimed = MatchRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING, runner=runner_id()
    )
    run = MatchRun.objects.select_related("area", "user").get(pk=run_id)
    if not claimed:
        return run.status
    return execute_run(run).status
