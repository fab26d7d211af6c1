"""Recording a hire: the actual wage is asked (never the job's minimum taken silently), and the laborer's
other open referrals are given up by the system (放弃, 已在其他单位就业), each told to its employer and
staff and audited, without a text message to the laborer."""

import json

from django.urls import reverse

from bangfu.audit.models import AuditEvent
from bangfu.notices.models import Notification, SmsMessage
from bangfu.referrals.actions import advance, create_referral
from bangfu.referrals.models import Status, StepChannel, WithdrawReason


def test_the_staff_form_asks_for_the_actual_wage(world, users, client_for):
    referral = create_referral(users["county_a"], world["long"], world["job"])
    advance(users["county_a"], referral, Status.INTERESTED)
    client = client_for(users["county_a"])
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "实际月工资" in page and "岗位工资：4500–6000 元/月" in page
    url = reverse("referrals:step", args=[referral.pk])
    missing = client.post(url, {"status": "录用"})
    assert "录用时请填写实际月工资（元）。" in missing.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.INTERESTED
    client.post(url, {"status": "录用", "monthly_wage": "5300"})
    referral.refresh_from_db()
    assert referral.status == Status.HIRED and referral.employment.monthly_wage == 5300
    assert "月工资 5300 元" in client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()


def test_without_a_wage_the_record_says_unknown_not_the_jobs_minimum(world, users, client_for):
    referral = create_referral(users["county_a"], world["long"], world["job"])
    client = client_for(users["county_a"])
    url = reverse("referral-step", args=[referral.pk])
    client.post(url, json.dumps({"status": "有意向"}), content_type="application/json")
    hired = client.post(url, json.dumps({"status": "录用"}), content_type="application/json")
    assert hired.status_code == 200
    referral.refresh_from_db()
    assert referral.employment.monthly_wage is None  # the job's 4500 is not what he earns


def test_a_hire_gives_up_the_other_open_referrals(world, users, captured):
    county = users["county_a"]
    with captured():
        hired = create_referral(county, world["long"], world["job"])
        waiting = create_referral(county, world["long"], world["other_job"])
        interviewing = create_referral(county, world["long"], world["local_job"])
        rejected = create_referral(county, world["long"], world["job2"])
        someone_else = create_referral(county, world["shi"], world["other_job"])
    advance(county, interviewing, Status.INTERESTED)
    advance(world["boss"], rejected, Status.REJECTED, channel=StepChannel.EMPLOYER)
    advance(county, hired, Status.INTERESTED)
    texts = SmsMessage.objects.count()
    with captured():
        advance(county, hired, Status.HIRED, monthly_wage=5000)

    for closed in (waiting, interviewing):
        closed.refresh_from_db()
        step = closed.steps.order_by("-id").first()
        assert closed.status == Status.WITHDRAWN and closed.closed_at is not None
        assert step.reason == WithdrawReason.EMPLOYED_ELSEWHERE and step.channel == StepChannel.SYSTEM
        assert "广州海珠电子厂“电子装配工”录用" in step.note and step.by is None
        assert AuditEvent.objects.filter(object_id=str(closed.pk), message__contains="→ 放弃").exists()
    rejected.refresh_from_db()
    someone_else.refresh_from_db()
    assert rejected.status == Status.REJECTED and someone_else.status != Status.WITHDRAWN
    # 别家公司 is told its candidate is no longer available; the laborer gets only the hire's text.
    notice = Notification.objects.get(recipient=world["other_boss"], title__contains="放弃")
    assert "已在其他单位就业" in notice.body
    assert list(SmsMessage.objects.order_by("id").values_list("body", flat=True)[texts:]) == [
        SmsMessage.objects.get(body__contains="恭喜").body
    ]
