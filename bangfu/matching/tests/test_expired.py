"""A job past its 截止日期 is matched nowhere: not in a laborer's 推荐岗位, not given 推荐人选, not in an
area run's file, not referred automatically. The designed world's expired decoys are better paid copies
of each laborer's best job, so any path that let them through would rank them first."""

import datetime as dt

from bangfu.areas.models import Area
from bangfu.jobs.models import Job
from bangfu.matching.service import match_for_job, match_for_person, run_area
from bangfu.referrals.auto import auto_refer
from bangfu.referrals.models import AutoReferralRule, Referral


def test_an_expired_job_is_matched_nowhere(world):
    saved, on = world["saved"], world["on"]
    expired = {saved[j.key].pk for j in world["jobs"] if j.breaks == "截止日期"}
    assert len(expired) == len(world["laborers"])
    county = Area.objects.get(code="433124000000")

    for lab in world["laborers"]:  # a laborer's 推荐岗位
        found = {m.job_id for m in match_for_person(world["people"][lab.key], top=100, on=on)}
        assert found and not found & expired

    for pk in expired:  # a job's 推荐人选
        assert match_for_job(Job.objects.get(pk=pk), top=50, within=county, on=on) == []
    # the deadline day itself still counts
    last_day = Job.objects.get(pk=min(expired))
    Job.objects.filter(pk=last_day.pk).update(deadline=on)
    last_day.refresh_from_db()
    assert match_for_job(last_day, top=50, within=county, on=on)
    Job.objects.filter(pk=last_day.pk).update(deadline=on - dt.timedelta(days=1))

    run = run_area(Area.objects.get(code="433100000000"), top=10, on=on)  # an area run
    found = {m.job_id for m in run.matches()}
    assert found and not found & expired

    AutoReferralRule.objects.create(  # automatic referral, with the real matcher
        region_prefix="4331", effective_from=on - dt.timedelta(days=1), enabled=True, top=5, min_score=0
    )
    result = auto_refer(Area.objects.get(code="433100000000"), on=on)
    referred = set(Referral.objects.values_list("job_id", flat=True))
    assert result.created and referred and not referred & expired
