"""Referral pages: refer from a match, list with filters, detail with steps and step buttons."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from bangfu.audit.models import AuditEvent
from bangfu.referrals.actions import advance, create_referral
from bangfu.referrals.models import Referral, Status, StepChannel


def test_refer_from_matching_page(world, users, client_for):
    client = client_for(users["county_a"])
    response = client.post(
        reverse("referrals:create"),
        {
            "person": world["long"].pk,
            "job": world["job"].pk,
            "score": "91.5",
            "reasons": ["职业相符", "工资符合期望"],
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "referrals:detail", args=[referral.pk]
    )
    assert referral.score == 91.5 and referral.reasons == ["职业相符", "工资符合期望"]
    assert referral.referred_by == users["county_a"] and not referral.auto
    # Again: refused, with the reason, nothing new.
    again = client.post(
        reverse("referrals:create"), {"person": world["long"].pk, "job": world["job"].pk}, follow=True
    )
    assert "不能重复推荐" in again.content.decode() and Referral.objects.count() == 1
    # htmx from the matching page: a fragment.
    fragment = client.post(
        reverse("referrals:create"),
        {"person": world["shi"].pk, "job": world["job"].pk, "reasons": '["职业相符"]'},
        HTTP_HX_REQUEST="true",
    )
    assert "已推荐" in fragment.content.decode()
    assert Referral.objects.get(person=world["shi"]).reasons == ["职业相符"]


def test_refer_outside_scope_is_404_and_changes_nothing(world, users, client_for):
    outsider, own = client_for(users["county_b"]), client_for(users["county_a"])
    events = AuditEvent.objects.count()
    response = outsider.post(
        reverse("referrals:create"), {"person": world["long"].pk, "job": world["job"].pk}
    )
    assert response.status_code == 404
    response = own.post(reverse("referrals:create"), {"person": world["tian"].pk, "job": world["job"].pk})
    assert response.status_code == 404
    assert not Referral.objects.exists() and AuditEvent.objects.count() == events


def test_list_filters_and_scope(world, users, client_for):
    a = users["county_a"]
    first = create_referral(a, world["long"], world["job"])
    create_referral(a, world["shi"], world["local_job"])
    create_referral(users["county_b"], world["tian"], world["job"])
    advance(a, first, Status.INTERESTED)
    client = client_for(a)

    def names(**params):
        response = client.get(reverse("referrals:list"), params)
        return {r.person.name for r in response.context["object_list"]}

    assert names() == {"龙春生", "石秀英"}
    assert names(status="有意向") == {"龙春生"}
    assert names(job="苗绣") == {"石秀英"}
    assert names(job="GZ-001") == {"龙春生"}
    assert names(area="433124102201") == {"龙春生", "石秀英"}
    assert names(area="433123") == set()
    assert names(created_after="2099-01-01") == set()
    assert names(q="龙春") == {"龙春生"}
    assert names(person=world["shi"].pk) == {"石秀英"}


def test_detail_shows_steps_and_step_buttons_work(world, users, client_for):
    referral = create_referral(users["county_a"], world["long"], world["job"])
    client = client_for(users["county_a"])
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert 'value="有意向"' in page and 'value="录用"' not in page  # 推荐 → 录用 is not allowed
    assert world["long"].masked_id in page and world["long"].id_number not in page
    client.post(reverse("referrals:step", args=[referral.pk]), {"status": "有意向", "note": "单位很满意"})
    url = reverse("referrals:step", args=[referral.pk])
    response = client.post(url, {"status": "录用", "monthly_wage": "4800"}, follow=True)
    referral.refresh_from_db()
    assert referral.status == Status.HIRED
    page = response.content.decode()
    assert "单位很满意" in page and "推荐状态已改为“录用”" in page
    bad = client.post(reverse("referrals:step", args=[referral.pk]), {"status": "面试"}, follow=True)
    assert "已经“录用”，不能再改为“面试”" in bad.content.decode()


def test_person_page_shows_referrals_and_employment(world, users, client_for):
    referral = create_referral(users["county_a"], world["long"], world["job"])
    advance(users["county_a"], referral, Status.INTERESTED)
    advance(users["county_a"], referral, Status.HIRED)
    page = client_for(users["county_a"]).get(reverse("registry:person_detail", args=[world["long"].pk]))
    text = page.content.decode()
    assert 'id="person-referrals"' in text and "电子装配工" in text
    assert 'id="person-employments"' in text and "广州海珠电子厂" in text and "推荐录用" in text


def test_step_form_needs_interview_time_and_withdrawal_reason(world, users, client_for):
    referral = create_referral(users["county_a"], world["long"], world["job"])
    client = client_for(users["county_a"])
    url = reverse("referrals:step", args=[referral.pk])
    missing = client.post(url, {"status": "面试", "note": "请带简历", "interview_at": ""})
    text = missing.content.decode()
    assert missing.status_code == 200 and "请填写面试时间" in text and 'value="请带简历"' in text
    no_reason = client.post(url, {"status": "放弃"})
    assert no_reason.status_code == 200 and "请选择放弃原因" in no_reason.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.REFERRED and referral.steps.count() == 1
    client.post(url, {"status": "放弃", "reason": "已在其他单位就业", "on": "", "note": "在县城超市上班"})
    referral.refresh_from_db()
    step = referral.steps.last()
    assert referral.status == Status.WITHDRAWN and (step.reason, step.by) == (
        "已在其他单位就业",
        users["county_a"],
    )
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "原因：已在其他单位就业" in page and "在县城超市上班" in page and 'id="step-form"' not in page


def test_stale_page_gets_the_tables_refusal(world, users, client_for):
    referral = create_referral(users["county_a"], world["long"], world["job"])
    advance(world["boss"], referral, Status.REJECTED, channel=StepChannel.EMPLOYER)
    client = client_for(users["county_a"])
    response = client.post(reverse("referrals:step", args=[referral.pk]), {"status": "面试"}, follow=True)
    assert "该推荐已经“未录用”，不能再改为“面试”。" in response.content.decode()
    boss = client_for(world["boss"])
    answer = boss.post(reverse("referrals:portal_step", args=[referral.pk]), {"status": "录用"}, follow=True)
    assert "该推荐已经“未录用”，不能再改为“录用”。" in answer.content.decode()
    assert referral.steps.count() == 2


def test_step_on_an_earlier_day_and_an_interview_on_site(world, users, client_for, meeting_service):
    referral = create_referral(users["county_a"], world["long"], world["job"])
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    client = client_for(users["county_a"])
    url = reverse("referrals:step", args=[referral.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    client.post(url, {"status": "已通知", "on": yesterday.isoformat(), "note": "村协理员入户告知"})
    when = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT10:00")
    client.post(url, {"status": "面试", "interview_at": when, "online": "0", "venue": "海珠区工业大道 8 号"})
    referral.refresh_from_db()
    steps = list(referral.steps.all())
    assert [s.to_status for s in steps] == ["推荐", "已通知", "面试"] and steps[1].on == yesterday
    interview = referral.interviews.get()
    assert not interview.online and interview.venue == "海珠区工业大道 8 号" and not interview.meeting_url
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "现场面试" in page and "海珠区工业大道 8 号" in page and "再安排一次面试" in page
    # A second round, online this time.
    client.post(
        reverse("referrals:interview", args=[referral.pk]),
        {"interview_at": when.replace("10:00", "15:00"), "online": "1", "note": "复试"},
    )
    second = referral.interviews.order_by("-id").first()
    assert second.online and second.meeting_url and referral.steps.count() == 3
    portal = client_for(world["boss"]).get(reverse("referrals:portal_detail", args=[referral.pk]))
    assert second.meeting_url in portal.content.decode()
