"""The referral's steps: allowed moves recorded, forbidden ones refused in Chinese; a hire's side effects."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bangfu.audit.models import AuditEvent
from bangfu.employment.models import Channel, EmploymentRecord, Place, Source
from bangfu.employment.status import place_between
from bangfu.fairs.models import Interview
from bangfu.jobs.models import Job
from bangfu.referrals.actions import DUPLICATE_MESSAGE, advance, create_referral
from bangfu.referrals.models import TRANSITIONS, Referral, Status, StepChannel
from bangfu.registry.models import Change


@pytest.fixture
def referral(world, users):
    return create_referral(users["county_a"], world["long"], world["job"], score=87.5, reasons=["职业相符"])


def test_create_records_first_step_and_audit(referral, users):
    assert referral.status == Status.REFERRED and referral.area_id == referral.person.area_id
    step = referral.steps.get()
    assert (step.from_status, step.to_status, step.by) == ("", Status.REFERRED, users["county_a"])
    assert AuditEvent.objects.filter(object_type="referrals.referral", object_id=str(referral.pk)).exists()


def test_duplicate_open_referral_is_refused(referral, world, users):
    with pytest.raises(ValidationError) as error:
        create_referral(users["county_a"], world["long"], world["job"])
    assert DUPLICATE_MESSAGE in error.value.messages
    advance(users["county_a"], referral, Status.WITHDRAWN, reason="不愿外出务工")
    again = create_referral(users["county_a"], world["long"], world["job"])  # closed ones do not block
    assert again.pk != referral.pk


def test_staff_cannot_refer_outside_their_area(world, users):
    with pytest.raises(PermissionDenied):
        create_referral(users["county_b"], world["long"], world["job"])
    world["job"].status = Job.Status.CLOSED
    world["job"].save()
    with pytest.raises(PermissionDenied):
        create_referral(users["county_a"], world["shi"], world["job"])


# What each target needs besides the table: 面试 its time, 放弃 its reason.
NEEDS = {
    Status.INTERVIEW: {"interview_at": dt.datetime(2099, 1, 5, 10, tzinfo=dt.UTC), "venue": "县人社局"},
    Status.WITHDRAWN: {"reason": "家庭原因"},
}


@pytest.mark.parametrize(("start", "target"), [(s, t) for s in TRANSITIONS for t in Status.values if s != t])
def test_every_move_is_allowed_or_refused_as_the_table_says(start, target, world, users):
    referral = create_referral(users["county_a"], world["shi"], world["local_job"])
    Referral.objects.filter(pk=referral.pk).update(status=start)
    steps_before = referral.steps.count()
    if target in TRANSITIONS[start]:
        moved = advance(users["county_a"], referral, target, note="测试", **NEEDS.get(target, {}))
        assert moved.status == target
        last = moved.steps.last()
        assert (last.from_status, last.to_status, last.by) == (start, target, users["county_a"])
        assert last.note.endswith("测试") and last.on == timezone.localdate()
        assert last.reason == ("家庭原因" if target == Status.WITHDRAWN else "")
    else:
        with pytest.raises(ValidationError) as error:
            advance(users["county_a"], referral, target, **NEEDS.get(target, {}))
        assert "不能" in error.value.messages[0]
        referral.refresh_from_db()
        assert referral.status == start and referral.steps.count() == steps_before


def test_withdrawal_needs_a_reason(referral, users):
    with pytest.raises(ValidationError, match="请选择放弃原因"):
        advance(users["county_a"], referral, Status.WITHDRAWN, note="不想去了")
    with pytest.raises(ValidationError, match="没有“不想去”这个放弃原因"):
        advance(users["county_a"], referral, Status.WITHDRAWN, reason="不想去")
    with pytest.raises(ValidationError, match="请在说明中写明"):
        advance(users["county_a"], referral, Status.WITHDRAWN, reason="其他")
    referral.refresh_from_db()
    assert referral.status != Status.WITHDRAWN
    advance(users["county_a"], referral, Status.WITHDRAWN, reason="其他", note="要照顾孙子")
    step = referral.steps.last()
    assert (step.to_status, step.reason, step.note) == (Status.WITHDRAWN, "其他", "要照顾孙子")


def test_step_date_is_between_the_referral_and_today(referral, users):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="不能晚于今天"):
        advance(users["county_a"], referral, Status.NOTIFIED, on=today + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="不能早于推荐日期"):
        advance(users["county_a"], referral, Status.NOTIFIED, on=today - dt.timedelta(days=1))
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - dt.timedelta(days=5))
    advance(users["county_a"], referral, Status.NOTIFIED, on=today - dt.timedelta(days=2), note="电话告知")
    step = referral.steps.last()
    assert step.on == today - dt.timedelta(days=2) and step.at.date() >= today - dt.timedelta(days=1)


def test_interview_needs_a_time_and_books_it(referral, world, users, settings):
    settings.BANGFU_MEETING_URL_PATTERN = "https://jitsi.rsj.example.cn/{token}"
    with pytest.raises(ValidationError, match="请填写面试时间"):
        advance(users["county_a"], referral, Status.INTERVIEW)
    when = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time(10)))
    advance(users["county_a"], referral, Status.INTERVIEW, interview_at=when, online=True, note="带身份证")
    interview = Interview.objects.get(referral=referral)
    assert interview.online and interview.meeting_url == f"https://jitsi.rsj.example.cn/{interview.token}"
    assert interview.scheduled_at == when and interview.created_by == users["county_a"]
    step = referral.steps.last()
    assert step.note == f"面试时间 {timezone.localtime(when):%Y-%m-%d %H:%M}，线上视频面试；带身份证"


def test_on_site_interview_has_a_venue_and_no_link(world, users):
    referral = create_referral(users["county_a"], world["shi"], world["local_job"])
    when = timezone.now() + dt.timedelta(days=1)
    advance(users["county_a"], referral, Status.INTERVIEW, interview_at=when, venue="苗绣车间二楼")
    interview = referral.interviews.get()
    assert not interview.online and interview.meeting_url == "" and interview.where == "苗绣车间二楼"


def test_unknown_status_is_refused(referral, users):
    with pytest.raises(ValidationError, match="没有"):
        advance(users["county_a"], referral, "入职")


def test_hire_creates_employment_record_and_uses_an_opening(referral, world, users):
    advance(users["county_a"], referral, Status.INTERESTED)
    hired = advance(users["county_a"], referral, Status.HIRED, started_on=dt.date(2026, 3, 2))
    record = EmploymentRecord.objects.get(person=world["long"])
    assert hired.employment == record and hired.closed_at is not None
    assert (record.source, record.channel, record.place) == (Source.REFERRAL, Channel.REFERRAL, Place.OUTSIDE)
    assert record.employer == world["factory"] and record.job == world["job"]
    assert record.started_on == dt.date(2026, 3, 2) and record.source_ref == f"referral:{referral.pk}"
    world["long"].refresh_from_db()
    assert world["long"].employment_status == "省外务工"
    assert Change.objects.filter(person=world["long"], field="务工状态", after="省外务工").exists()
    world["job"].refresh_from_db()
    assert world["job"].openings_left == 1 and world["job"].status == Job.Status.OPEN


def test_last_opening_closes_the_job(world, users):
    referral = create_referral(users["county_a"], world["long"], world["job2"])  # one opening
    advance(users["county_a"], referral, Status.INTERVIEW, interview_at=timezone.now(), venue="厂区")
    advance(users["county_a"], referral, Status.HIRED)
    world["job2"].refresh_from_db()
    assert world["job2"].openings_left == 0 and world["job2"].status == Job.Status.CLOSED


def test_hire_fails_whole_when_no_opening_left(world, users):
    referral = create_referral(users["county_a"], world["long"], world["job2"])
    advance(users["county_a"], referral, Status.INTERESTED)
    Job.objects.filter(pk=world["job2"].pk).update(openings_left=0)
    with pytest.raises(ValidationError, match="名额已满"):
        advance(users["county_a"], referral, Status.HIRED)
    referral.refresh_from_db()
    assert referral.status == Status.INTERESTED and not EmploymentRecord.objects.exists()
    world["long"].refresh_from_db()
    assert world["long"].employment_status == "未务工"


def test_local_hire_is_in_county(world, users):
    referral = create_referral(users["county_a"], world["shi"], world["local_job"])
    advance(users["county_a"], referral, Status.INTERESTED)
    advance(users["county_a"], referral, Status.HIRED)
    assert EmploymentRecord.objects.get(person=world["shi"]).place == Place.COUNTY


def test_place_between():
    assert place_between("433124102201", "433124000000") == Place.COUNTY
    assert place_between("433124102201", "430182000000") == Place.PROVINCE
    assert place_between("433124102201", "440105000000") == Place.OUTSIDE


def test_employer_may_only_answer_its_own_referrals(referral, world):
    with pytest.raises(PermissionDenied):
        advance(world["other_boss"], referral, Status.INTERESTED, channel=StepChannel.EMPLOYER)
    with pytest.raises(ValidationError, match="用人单位不能"):
        advance(world["boss"], referral, Status.WITHDRAWN, channel=StepChannel.EMPLOYER, reason="其他")
    advance(world["boss"], referral, Status.INTERESTED, channel=StepChannel.EMPLOYER)
    assert referral.steps.last().channel == StepChannel.EMPLOYER


def test_staff_of_another_county_cannot_move_it(referral, users):
    with pytest.raises(PermissionDenied):
        advance(users["county_b"], referral, Status.WITHDRAWN, reason="其他", note="x")
