"""Background work for referrals, run by `bangfu db_worker`: the nightly automatic referral of an area."""

from django.tasks import task

from bangfu.areas.models import Area


@task
def auto_refer_task(area_code: str) -> str:
    from bangfu.referrals.auto import auto_refer

    result = auto_refer(Area.objects.get(code=area_code))
    return "；".join(result.messages)
