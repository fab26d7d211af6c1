"""Background work of 企业用工报送, run by `bangfu db_worker`: what employers reported, applied to the
employment records after the portal has answered (so that the answer is the same for everyone)."""

from django.tasks import task


@task
def apply_reports_task() -> str:
    from bangfu.workforce.actions import apply_pending

    return f"已处理企业报送 {apply_pending()} 条"
