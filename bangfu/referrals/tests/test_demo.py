"""`bangfu demo` shows 两头对接 at work: referrals at every stage (with steps from staff, the system and the
enterprise, interviews online and on site, a 放弃 with its reason), 311 services, and a 送岗下乡 fair with
invitations, sign-ins, outcomes at the stands, a hire and an online interview."""

import logging

from bangfu.demo.build import build_demo
from bangfu.employment.models import EmploymentRecord
from bangfu.fairs.models import FairKind, Interview, JobFair
from bangfu.notices.models import Notification
from bangfu.referrals.models import Referral, ReferralStep, ServiceRecord, Status, StepChannel


def test_demo_has_referrals_at_every_stage_and_a_fair_with_outcomes(
    transactional_db, sms_file, caplog, meeting_service
):
    # Committed for real, as `bangfu demo` does: the text messages go out on commit and mark 已通知.
    with caplog.at_level(logging.WARNING, logger="bangfu.referrals.demo"):
        build_demo(people_per_county=200)
    assert not [r.message for r in caplog.records if r.name == "bangfu.referrals.demo"]
    regular = Referral.objects.filter(fair__isnull=True)
    for county in ("433124", "433123"):
        statuses = set(regular.filter(area__code__startswith=county).values_list("status", flat=True))
        assert statuses == set(Status.values), county
    channels = set(ReferralStep.objects.values_list("channel", flat=True))
    assert channels == {StepChannel.STAFF, StepChannel.SYSTEM, StepChannel.EMPLOYER}
    assert ReferralStep.objects.filter(to_status=Status.WITHDRAWN).exclude(reason="").exists()
    assert Interview.objects.filter(online=True).exclude(meeting_url="").exists()
    assert Interview.objects.filter(online=False).exclude(venue="").exists()
    assert ServiceRecord.objects.exists() and Notification.objects.exists()
    assert sms_file.read_text(encoding="utf-8").count("\n") > 40

    fair = JobFair.objects.get(kind=FairKind.TO_VILLAGES)
    assert fair.invitations.count() >= 5 and fair.invitations.filter(attended=True).count() >= 5
    outcomes = set(fair.referrals.values_list("status", flat=True))
    assert {Status.HIRED, Status.INTERVIEW, Status.REJECTED} <= outcomes
    hired = fair.referrals.filter(status=Status.HIRED).first()
    assert EmploymentRecord.objects.filter(referral=hired).exists()
    assert fair.interviews.filter(online=True).exists()
    assert JobFair.objects.filter(kind=FairKind.ONLINE).exists()
    referrals = Referral.objects.count()
    build_demo(people_per_county=200)  # a rebuild adds nothing
    assert Referral.objects.count() == referrals
