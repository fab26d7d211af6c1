"""Background work of tracking, run by `bangfu db_worker`: large visits files."""

from django.tasks import task

from bangfu.core.background import runner_id
from bangfu.tracking.importer import run_visit_import
from bangfu.tracking.models import ImportStatus, VisitImport


@task
def run_visit_import_task(batch_id: int) -> str:
    """Import one uploaded visits file; a batch already taken by another worker is left alone."""
    claimed = VisitImport.objects.filter(pk=batch_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, runner=runner_id()
    )
    batch = VisitImport.objects.select_related("area", "user").get(pk=batch_id)
    if not claimed:
        return batch.status
    return run_visit_import(batch).status
