"""After a fair exists: invitations tell the laborers (SMS) and the employers (inbox); outcomes at the fair
are referrals of the fair — referred, interviewed at the stand, hired (with the employment record), not
hired; a second outcome for the same job is refused once it has closed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.employment.models import EmploymentRecord, Source
from bangfu.fairs import actions
from bangfu.fairs.tests.test_fairs import matcher_for
from bangfu.notices.models import Notification, SmsMessage
from bangfu.referrals.models import Referral, Status


@pytest.fixture
def invited(world, users, captured):
    from bangfu.conftest import TOWNSHIP_A, area
    from bangfu.fairs.models import JobFair

    start = timezone.now()
    fair = JobFair(
        title="龙潭镇专场招聘会", kind="专场招聘会", area=area(TOWNSHIP_A), venue="龙潭镇文化广场",
        starts_at=start, ends_at=start + dt.timedelta(hours=6), status="进行中",
    )  # fmt: skip
    fair = actions.save_fair(users["county_a"], fair, jobs=[world["job"], world["local_job"]])
    with captured():
        actions.invite_by_matching(users["county_a"], fair, matcher=matcher_for(world, []))
    return fair


def test_invitations_tell_laborers_and_employers(invited, world):
    texts = SmsMessage.objects.filter(ref=f"fair:{invited.pk}")
    assert {t.phone for t in texts} == {"13900001111", "13900002222"}
    notice = Notification.objects.get(recipient=world["boss"])
    assert "龙潭镇专场招聘会" in notice.title and "邀请 2 名劳动力" in notice.body
    assert "其中 1 名与贵单位岗位“电子装配工”最匹配" in notice.body
    assert not Notification.objects.filter(recipient=world["other_boss"]).exists()  # no job at the fair


def test_outcomes_become_referrals_of_the_fair(invited, world, users, client_for, captured):
    client = client_for(users["county_a"])
    url = reverse("fairs:refer", args=[invited.pk])
    long_inv = invited.invitations.get(person=world["long"])
    shi_inv = invited.invitations.get(person=world["shi"])
    with captured():
        client.post(url, {"invitation": long_inv.pk, "job": world["job"].pk, "outcome": "面试"})
    referral = Referral.objects.get(person=world["long"])
    assert referral.fair == invited and referral.status == Status.INTERVIEW
    interview = referral.interviews.get()
    assert not interview.online and interview.venue == "龙潭镇文化广场"
    long_inv.refresh_from_db()
    assert long_inv.attended  # an outcome means the laborer came
    with captured():
        client.post(url, {"invitation": long_inv.pk, "job": world["job"].pk, "outcome": "录用"})
    referral.refresh_from_db()
    record = EmploymentRecord.objects.get(person=world["long"])
    assert referral.status == Status.HIRED and referral.employment == record
    assert record.source == Source.REFERRAL and record.started_on == timezone.localdate()
    # 石秀英: not hired for the workshop job; a second outcome for that job is refused (it has closed).
    with captured():
        client.post(url, {"invitation": shi_inv.pk, "job": world["local_job"].pk, "outcome": "未录用"})
    shi_ref = Referral.objects.get(person=world["shi"])
    assert [s.to_status for s in shi_ref.steps.all()][-1] == Status.REJECTED
    again = client.post(
        url, {"invitation": shi_inv.pk, "job": world["local_job"].pk, "outcome": "录用"}, follow=True
    )
    assert "已有结果：未录用" in again.content.decode()
    assert Referral.objects.filter(person=world["shi"]).count() == 1
    with captured():
        client.post(url, {"invitation": shi_inv.pk, "job": world["job"].pk, "outcome": "录用"})
    # Hired straight from the stand for the factory job: the interview there is recorded first.
    hired = Referral.objects.get(person=world["shi"], job=world["job"])
    assert [s.to_status for s in hired.steps.all()] == [Status.REFERRED, Status.INTERVIEW, Status.HIRED]
    page = client.get(reverse("fairs:detail", args=[invited.pk]))
    assert page.context["outcomes"] == {
        "invited": 2, "attended": 2, "referred": 3, "interviewed": 2, "hired": 2,
    }  # fmt: skip
    attendance = client.get(reverse("fairs:attendance", args=[invited.pk])).content.decode()
    assert attendance.count("录用</span>") >= 2 and "未录用</span>" in attendance


def test_outcome_refused_for_a_job_not_at_the_fair_or_an_unknown_outcome(invited, world, users, client_for):
    client = client_for(users["county_a"])
    inv = invited.invitations.get(person=world["long"])
    url = reverse("fairs:refer", args=[invited.pk])
    client.post(url, {"invitation": inv.pk, "job": world["other_job"].pk, "outcome": "录用"})
    bad = client.post(url, {"invitation": inv.pk, "job": world["job"].pk, "outcome": "入职"}, follow=True)
    assert "请选择本场招聘会的邀请人员和岗位" in bad.content.decode()
    assert not Referral.objects.exists()


def test_outsider_cannot_record_outcomes(invited, world, users):
    from django.core.exceptions import PermissionDenied

    inv = invited.invitations.get(person=world["long"])
    with pytest.raises(PermissionDenied):
        actions.record_outcome(users["county_b"], invited, inv, world["job"], "录用")
    assert not Referral.objects.exists()
