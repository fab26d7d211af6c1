"""Background work of targets, run by `bangfu db_worker`: large targets files."""

from django.tasks import task

from bangfu.core.background import runner_id


@task
def run_target_import_task(batch_id: int) -> str:
    from bangfu.targets.importer import run_target_import
    from bangfu.targets.models import ImportStatus, TargetImport

    claimed = TargetImport.objects.filter(pk=batch_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, runner=runner_id()
    )
    batch = TargetImport.objects.select_related("area", "user").get(pk=batch_id)
    if not claimed:
        return batch.status
    return run_target_import(batch).status
