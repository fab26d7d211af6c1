"""The enterprise portal: an enterprise account sees and answers referrals to its own jobs only; names
shown, ID numbers masked, the phone only from 有意向 on (and each showing audited)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from bangfu.audit.models import Action, AuditEvent
from bangfu.notices.models import Notification, SmsMessage
from bangfu.referrals.actions import create_referral
from bangfu.referrals.models import Status


def test_portal_lists_own_referrals_only(world, users, client_for):
    mine = create_referral(users["county_a"], world["long"], world["job"])
    theirs = create_referral(users["county_a"], world["shi"], world["other_job"])
    client = client_for(world["boss"])
    page = client.get(reverse("referrals:portal")).content.decode()
    assert "龙春生" in page and "石秀英" not in page
    assert world["long"].masked_id in page and world["long"].id_number not in page
    assert client.get(reverse("referrals:portal_detail", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("referrals:portal_step", args=[theirs.pk]), {"status": "有意向"}).status_code
        == 404
    )
    assert client.post(reverse("referrals:portal_phone", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.REFERRED
    assert client.get(reverse("referrals:portal_detail", args=[mine.pk])).status_code == 200


def test_staff_cannot_use_portal_and_enterprise_cannot_use_staff_pages(world, users, client_for):
    referral = create_referral(users["county_a"], world["long"], world["job"])
    assert client_for(users["county_a"]).get(reverse("referrals:portal")).status_code == 403
    boss = client_for(world["boss"])
    assert boss.get(reverse("referrals:list")).status_code == 403
    assert boss.get(reverse("referrals:detail", args=[referral.pk])).status_code == 403


def test_answer_and_phone_after_interest(world, users, client_for):
    referral = create_referral(users["county_a"], world["long"], world["job"])
    client = client_for(world["boss"])
    page = client.get(reverse("referrals:portal_detail", args=[referral.pk])).content.decode()
    assert "13900001111" not in page and "139****1111" not in page and "有意向”后可见" in page
    assert client.post(reverse("referrals:portal_phone", args=[referral.pk])).status_code == 403
    assert 'value="放弃"' not in page and 'value="有意向"' in page
    client.post(
        reverse("referrals:portal_step", args=[referral.pk]), {"status": "有意向", "note": "周一面谈"}
    )
    referral.refresh_from_db()
    assert referral.status == Status.INTERESTED and referral.steps.last().note == "周一面谈"
    page = client.get(reverse("referrals:portal_detail", args=[referral.pk])).content.decode()
    assert "139****1111" in page and "13900001111" not in page
    shown = client.post(reverse("referrals:portal_phone", args=[referral.pk]))
    assert "13900001111" in shown.content.decode()
    assert AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE, actor=world["boss"]).count() == 1
    # Not an employer's answer: refused.
    response = client.post(
        reverse("referrals:portal_step", args=[referral.pk]), {"status": "放弃"}, follow=True
    )
    assert "答复有误" in response.content.decode()
    client.post(
        reverse("referrals:portal_step", args=[referral.pk]),
        {"status": "录用", "started_on": "2026-12-01", "monthly_wage": "5100"},
    )
    referral.refresh_from_db()
    assert referral.status == Status.HIRED and referral.employment.started_on.isoformat() == "2026-12-01"
    assert referral.employment.monthly_wage == 5100
    assert referral.employment.created_by == world["boss"]


def test_employer_sets_an_online_interview_seen_by_staff(world, users, client_for, captured, meeting_service):
    with captured():
        referral = create_referral(users["county_a"], world["long"], world["job"])
    client = client_for(world["boss"])
    url = reverse("referrals:portal_step", args=[referral.pk])
    refused = client.post(url, {"status": "面试", "online": "1"})
    assert refused.status_code == 200 and "请填写面试时间" in refused.content.decode()
    when = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT14:30")
    with captured():
        client.post(url, {"status": "面试", "interview_at": when, "online": "1", "note": "请提前 5 分钟进入"})
    interview = referral.interviews.get()
    assert interview.online and interview.created_by == world["boss"]
    assert (
        interview.meeting_url
        in client.get(reverse("referrals:portal_detail", args=[referral.pk])).content.decode()
    )
    staff_page = client_for(users["county_a"]).get(reverse("referrals:detail", args=[referral.pk]))
    assert interview.meeting_url in staff_page.content.decode()
    notice = Notification.objects.get(recipient=users["county_a"], title__contains="面试")
    assert interview.meeting_url in notice.body and "请提前 5 分钟进入" in notice.body
    sms = SmsMessage.objects.get(phone="13900001111", body__contains="面试")
    assert interview.meeting_url in sms.body and "14:30" in sms.body
