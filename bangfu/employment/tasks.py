"""Background work for employment records, run by `bangfu db_worker`: the nightly status refresh."""

from datetime import date

from django.tasks import task

from bangfu.areas.models import Area


@task
def refresh_status_task(area_code: str, on: str | None = None) -> int:
    from bangfu.employment.actions import refresh_status

    day = date.fromisoformat(on) if on else None
    return refresh_status(None, None, source="每日更新", on=day, within=Area.objects.get(code=area_code))
