"""Background work of the areas app, run by `bangfu db_worker`: a large designations file."""

from __future__ import annotations

from django.tasks import task


@task
def run_designation_import_task(batch_id: int) -> str:
    """Import one uploaded designations file; a batch already taken by another worker is left alone."""
    from bangfu.areas.importer import run_designation_import
    from bangfu.areas.models import DesignationImport
    from bangfu.core.batches import claim

    claimed = claim(DesignationImport, batch_id)
    batch = DesignationImport.objects.select_related("area", "user").get(pk=batch_id)
    if not claimed:
        return batch.status
    return run_designation_import(batch).status
