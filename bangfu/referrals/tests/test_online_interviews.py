"""Online interviews need a configured meeting service (BANGFU_MEETING_URL_PATTERN). Without one nothing is
booked online and nothing reaches anyone: the pages offer only 现场面试 and say why, the action and the API
refuse with the same Chinese reason, and no text message goes out."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from bangfu.fairs import meetings
from bangfu.fairs.models import Interview
from bangfu.notices.models import SmsMessage
from bangfu.referrals import actions
from bangfu.referrals.actions import create_referral
from bangfu.referrals.models import Status


@pytest.fixture
def no_meeting_service(settings):
    settings.BANGFU_MEETING_URL_PATTERN = ""


def later(days=2):
    return timezone.localtime() + dt.timedelta(days=days)


def test_without_a_service_the_action_refuses_and_nothing_is_sent(world, users, captured, no_meeting_service):
    with captured():
        referral = create_referral(users["county_a"], world["long"], world["job"])
    referral.refresh_from_db()
    status, sent = referral.status, SmsMessage.objects.count()
    with pytest.raises(ValidationError) as info, captured():
        actions.advance(users["county_a"], referral, Status.INTERVIEW, interview_at=later(), online=True)
    assert info.value.messages == [meetings.UNAVAILABLE]
    referral.refresh_from_db()
    assert referral.status == status and not Interview.objects.exists()
    assert SmsMessage.objects.count() == sent
    # On site still works, and its text names the venue, not a link.
    with captured():
        actions.advance(
            users["county_a"], referral, Status.INTERVIEW, interview_at=later(), venue="县人力资源市场 3 楼"
        )
    sms = SmsMessage.objects.get(phone="13900001111", body__contains="面试")
    assert "县人力资源市场 3 楼" in sms.body and "http" not in sms.body


def test_without_a_service_the_page_offers_only_on_site_and_says_why(
    world, users, client_for, captured, no_meeting_service
):
    with captured():
        referral = create_referral(users["county_a"], world["long"], world["job"])
    client = client_for(users["county_a"])
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "未配置视频会议服务" in page and "线上视频面试</label>" not in page
    # A crafted post is refused with the reason, nothing booked or sent.
    response = client.post(
        reverse("referrals:step", args=[referral.pk]),
        {"status": "面试", "interview_at": later().strftime("%Y-%m-%dT%H:%M"), "online": "1"},
    )
    assert meetings.UNAVAILABLE in response.content.decode() or any(
        meetings.UNAVAILABLE in str(m) for m in response.context["messages"]
    )
    assert not Interview.objects.exists()
    assert not SmsMessage.objects.filter(body__contains="面试").exists()
    # The enterprise portal's form is the same.
    portal = client_for(world["boss"]).get(reverse("referrals:portal_detail", args=[referral.pk]))
    assert "未配置视频会议服务" in portal.content.decode()


def test_without_a_service_the_api_answers_400(world, users, client_for, no_meeting_service):
    referral = create_referral(users["county_a"], world["long"], world["job"])
    response = client_for(users["county_a"]).post(
        reverse("referral-step", args=[referral.pk]),
        json.dumps({"status": "面试", "interview_at": later().isoformat(), "online": True}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert meetings.UNAVAILABLE in json.dumps(response.json(), ensure_ascii=False)
    assert not Interview.objects.exists()


def test_with_a_service_the_link_is_its_own(world, users, captured, meeting_service):
    with captured():
        referral = create_referral(users["county_a"], world["long"], world["job"])
        actions.advance(users["county_a"], referral, Status.INTERVIEW, interview_at=later(), online=True)
    interview = referral.interviews.get()
    assert interview.meeting_url == f"https://meet.rsj.example.gov.cn/bangfu-{interview.token}"
    assert SmsMessage.objects.filter(body__contains=interview.meeting_url).exists()


@pytest.mark.parametrize(
    "pattern,problem",
    [("https://meet.rsj.example.gov.cn/bangfu", "{token}"), ("http://10.1.2.3/bangfu-{token}", "https://")],
)
def test_a_pattern_that_cannot_work_stops_the_server_at_start(db, settings, pattern, problem):
    settings.BANGFU_MEETING_URL_PATTERN = pattern
    with pytest.raises(SystemCheckError) as info:
        call_command("check")
    assert "fairs.E001" in str(info.value) and problem in str(info.value)
