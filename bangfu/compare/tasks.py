"""Background work for data comparison, run by `bangfu db_worker` (Django's task framework)."""

from django.tasks import task

from bangfu.compare.actions import run_comparison
from bangfu.compare.models import ComparisonRun, RunStatus


@task
def run_comparison_task(run_id: int) -> str:
    """Run one queued comparison; progress and outcome are kept on the run for the page to show."""
    claimed = ComparisonRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING
    )
    run = ComparisonRun.objects.select_related("area", "user").get(pk=run_id)
    if not claimed:
        return run.status  # taken by another worker, or queued again after it finished
    return run_comparison(run).status
