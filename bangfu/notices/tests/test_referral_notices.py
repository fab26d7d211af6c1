"""Both sides hear of a referral, but only once it commits; a failing gateway never undoes the referral."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from bangfu.notices.models import Notification, SmsMessage, SmsStatus
from bangfu.referrals.actions import advance, create_referral
from bangfu.referrals.models import Referral, Status, StepChannel


def test_referral_notifies_laborer_and_employer_on_commit(world, users, captured, sms_file):
    with captured() as callbacks:
        referral = create_referral(users["county_a"], world["long"], world["job"])
        assert not SmsMessage.objects.exists() and not Notification.objects.exists()  # nothing before commit
    assert callbacks
    sms = {m.phone: m for m in SmsMessage.objects.all()}
    assert set(sms) == {"13900001111", "02088886666"}
    assert all(m.status == SmsStatus.SENT and m.ref == f"referral:{referral.pk}" for m in sms.values())
    assert "电子装配工" in sms["13900001111"].body and "龙春生" in sms["02088886666"].body
    inbox = Notification.objects.get(recipient=world["boss"])
    assert "龙春生" in inbox.title and inbox.link.endswith(f"/referrals/portal/{referral.pk}/")
    assert not Notification.objects.filter(recipient=world["other_boss"]).exists()
    lines = sms_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and any("13900001111" in line and "电子装配工" in line for line in lines)
    referral.refresh_from_db()
    assert referral.status == Status.NOTIFIED  # the laborer's message went out
    assert referral.steps.last().channel == StepChannel.SYSTEM


def test_nothing_is_sent_when_the_referral_rolls_back(world, users, captured, sms_file):
    with captured() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        create_referral(users["county_a"], world["long"], world["job"])
        raise RuntimeError("boom")
    assert not callbacks
    assert (
        not Referral.objects.exists()
        and not SmsMessage.objects.exists()
        and not Notification.objects.exists()
    )
    assert not sms_file.exists()


def test_failed_sms_is_recorded_and_the_referral_stays(world, users, captured, settings, tmp_path):
    settings.BANGFU_SMS_FILE = tmp_path / "missing" / "\0bad"  # cannot be written
    with captured():
        referral = create_referral(users["county_a"], world["long"], world["job"])
    assert Referral.objects.filter(pk=referral.pk, status=Status.REFERRED).exists()
    failed = SmsMessage.objects.filter(status=SmsStatus.FAILED)
    assert failed.count() == 2 and all(m.error for m in failed)


def test_laborer_without_phone_is_recorded_as_not_sent(world, users, captured):
    world["shi"].phone = ""
    world["shi"].save()
    with captured():
        create_referral(users["county_a"], world["shi"], world["job"])
    message = SmsMessage.objects.get(phone="")
    assert message.status == SmsStatus.FAILED and message.error == "未登记手机号"


def test_employer_answer_notifies_the_referring_staff(world, users, captured, settings):
    # The department's own meeting service: without one no online interview is arranged.
    settings.BANGFU_MEETING_URL_PATTERN = "https://jitsi.rsj.example.cn/{token}"
    with captured():
        referral = create_referral(users["county_a"], world["long"], world["job"])
    with captured():
        advance(world["boss"], referral, Status.INTERESTED, channel=StepChannel.EMPLOYER, note="请来面试")
    notice = Notification.objects.get(recipient=users["county_a"])
    assert "有意向" in notice.title and "广州海珠电子厂" in notice.body
    with captured():
        advance(
            users["county_a"], referral, Status.INTERVIEW, interview_at=timezone.now() + dt.timedelta(days=1),
            online=True,
        )  # fmt: skip
    link = referral.interviews.get().meeting_url
    boss_notice = Notification.objects.get(recipient=world["boss"], title__contains="面试")
    assert link and link in boss_notice.body
    assert SmsMessage.objects.filter(phone="13900001111", body__contains=link).exists()
    # The staff member who took the step is not told of it; the employer's answer again reaches them.
    assert Notification.objects.filter(recipient=users["county_a"]).count() == 1


def test_automatic_referral_answers_reach_the_county_staff(world, users, captured):
    """No referrer: the employer's answer goes to the staff accounts of the laborer's county."""
    with captured():
        referral = create_referral(None, world["long"], world["job"], auto=True)
    with captured():
        advance(world["boss"], referral, Status.REJECTED, channel=StepChannel.EMPLOYER, note="不合适")
    told = Notification.objects.filter(title__contains="未录用").values_list("recipient__username", flat=True)
    assert set(told) == {users["county_a"].username}
    text = SmsMessage.objects.get(phone="13900001111", body__contains="未录用").body
    assert "广州海珠电子厂" in text and "不合适" not in text  # the employer's note stays inside


def test_withdrawal_tells_the_employer_with_the_reason(world, users, captured):
    with captured():
        referral = create_referral(users["county_a"], world["long"], world["job"])
    with captured():
        advance(users["county_a"], referral, Status.WITHDRAWN, reason="工作地点太远")
    notice = Notification.objects.get(recipient=world["boss"], title__contains="放弃")
    assert "原因：工作地点太远" in notice.body
    assert not SmsMessage.objects.filter(phone="13900001111", body__contains="放弃").exists()
