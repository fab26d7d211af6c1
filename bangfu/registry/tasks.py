"""Background work for the registry, run by `bangfu db_worker` (Django's task framework, database backend)."""

from django.tasks import task

from bangfu.core.background import runner_id
from bangfu.registry.actions import run_registry_import
from bangfu.registry.models import ImportBatch, ImportStatus


@task
def run_import_task(batch_id: int) -> str:
    """Import one uploaded file; progress and outcome are kept on the batch for the page to show."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, runner=runner_id()
    )
    batch = ImportBatch.objects.select_related("area", "user").get(pk=batch_id)
    if not claimed:
        return batch.status  # taken by another worker, or queued again after it finished
    return run_registry_import(batch).status
