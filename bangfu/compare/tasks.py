"""Background work for data comparison, run by `bangfu db_worker` (Django's task framework)."""

from django.tasks import task
from django.utils import timezone

from bangfu.compare.actions import run_bulk_decision
from bangfu.compare.models import BulkDecision, ComparisonRun, RunStatus
from bangfu.compare.run import run_comparison
from bangfu.core.background import runner_id


@task
def run_comparison_task(run_id: int) -> str:
    """Run one queued comparison; progress and outcome are kept on the run for the page to show."""
    claimed = ComparisonRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING, runner=runner_id()
    )
    run = ComparisonRun.objects.select_related("area", "user").get(pk=run_id)
    if not claimed:
        return run.status  # taken by another worker, or queued again after it finished
    return run_comparison(run).status


@task
def decide_bulk_task(bulk_id: int) -> str:
    """Decide a queued bulk decision's findings (actions.run_bulk_decision). Queued again after it ran, it
    does nothing; a failure of the whole (the database gone) is kept on it for its page."""
    pending = BulkDecision.objects.filter(pk=bulk_id, status=RunStatus.PENDING)
    claimed = pending.update(status=RunStatus.RUNNING, runner=runner_id())
    bulk = BulkDecision.objects.select_related("user__area", "area").get(pk=bulk_id)
    if not claimed:
        return bulk.status
    try:
        return run_bulk_decision(bulk).status
    except Exception:
        BulkDecision.objects.filter(pk=bulk_id).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            message="批量处理中断（系统错误），已处理的结果保持不变。可重新提交，剩余的待处理结果会继续处理。",
        )
        raise
