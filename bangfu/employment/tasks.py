"""Background work for employment records, run by `bangfu db_worker`: the nightly status refresh and large
employment records files (导入就业信息)."""

from datetime import date

from django.tasks import task

from bangfu.areas.models import Area


@task
def refresh_status_task(area_code: str, on: str | None = None) -> int:
    from bangfu.employment.actions import refresh_status

    day = date.fromisoformat(on) if on else None
    return refresh_status(None, None, source="每日更新", on=day, within=Area.objects.get(code=area_code))


@task
def run_employment_import_task(batch_id: int) -> str:
    """Import one uploaded employment records file; a batch already taken by another worker is left alone."""
    from bangfu.core.background import runner_id
    from bangfu.employment.importer import run_employment_import
    from bangfu.employment.models import EmploymentImport
    from bangfu.registry.models import ImportStatus

    claimed = EmploymentImport.objects.filter(pk=batch_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, runner=runner_id()
    )
    batch = EmploymentImport.objects.select_related("area", "user").get(pk=batch_id)
    if not claimed:
        return batch.status
    return run_employment_import(batch).status
