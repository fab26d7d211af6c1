"""Background work for jobs, run by `bangfu db_worker`: large jobs files."""

from django.tasks import task

from bangfu.core.background import runner_id
from bangfu.jobs.actions import run_job_import
from bangfu.jobs.models import ImportStatus, JobImport


@task
def run_job_import_task(batch_id: int) -> str:
    """Import one uploaded jobs file; a batch already taken by another worker is left alone."""
    claimed = JobImport.objects.filter(pk=batch_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, runner=runner_id()
    )
    batch = JobImport.objects.select_related("area", "user").get(pk=batch_id)
    if not claimed:
        return batch.status
    return run_job_import(batch).status
