"""Job fairs: create with jobs, invite laborers by matching within the host area, attendance, referrals at
the fair, outcomes, and online interviews with the configured meeting link."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.conftest import TOWNSHIP_A, area
from bangfu.fairs import actions, meetings
from bangfu.fairs.models import Interview, JobFair
from bangfu.notices.models import SmsMessage
from bangfu.referrals.actions import create_referral
from bangfu.referrals.models import Referral, Status


@dataclass
class FakeMatch:
    person_id: int
    job_id: int
    rank: int
    score: float
    reasons: list = field(default_factory=list)


@pytest.fixture
def fair(world, users):
    start = timezone.now() + dt.timedelta(days=5)
    fair = JobFair(
        title="龙潭镇送岗下乡", kind="送岗下乡", area=area(TOWNSHIP_A), venue="龙潭镇政府广场",
        starts_at=start, ends_at=start + dt.timedelta(hours=6),
    )  # fmt: skip
    return actions.save_fair(users["county_a"], fair, jobs=[world["job"], world["local_job"]])


def matcher_for(world, calls):
    """Candidates by construction: 龙春生 fits both jobs (the factory better), 石秀英 the workshop, and 田大山
    (county B, outside the fair's area) would be offered too if the caller did not limit by area."""

    def match_for_job(job, top=50, within=None):
        calls.append((job.pk, top, within))
        rows = {
            world["job"].pk: [(world["long"], 88.0), (world["tian"], 80.0)],
            world["local_job"].pk: [(world["shi"], 92.0), (world["long"], 60.0)],
        }[job.pk]
        return [FakeMatch(p.pk, job.pk, i + 1, s, [f"理由{i}"]) for i, (p, s) in enumerate(rows)][:top]

    return match_for_job


def test_fair_employers_follow_its_jobs(fair, world):
    assert set(fair.employers.all()) == {world["factory"], world["workshop"]}


def test_invite_by_matching(fair, world, users, captured):
    calls = []
    with captured():
        count = actions.invite_by_matching(
            users["county_a"], fair, per_job=5, matcher=matcher_for(world, calls)
        )
    assert count == 2
    assert sorted((c[0], c[1], c[2].code) for c in calls) == sorted(
        [(world["job"].pk, 5, fair.area_id), (world["local_job"].pk, 5, fair.area_id)]
    )
    invited = {i.person.name: (i.job, i.score) for i in fair.invitations.select_related("person", "job")}
    assert invited == {"龙春生": (world["job"], 88.0), "石秀英": (world["local_job"], 92.0)}  # not 田大山
    texts = SmsMessage.objects.filter(ref=f"fair:{fair.pk}")
    assert texts.count() == 2 and all("龙潭镇送岗下乡" in t.body for t in texts)
    again = actions.invite_by_matching(users["county_a"], fair, matcher=matcher_for(world, []))
    assert again == 0


def test_attendance_refer_and_outcomes(fair, world, users, client_for):
    actions.invite_by_matching(users["county_a"], fair, matcher=matcher_for(world, []))
    client = client_for(users["county_a"])
    long_inv = fair.invitations.get(person=world["long"])
    client.post(reverse("fairs:attendance", args=[fair.pk]), {"attendance": "1", "attended": [long_inv.pk]})
    long_inv.refresh_from_db()
    assert long_inv.attended and not fair.invitations.get(person=world["shi"]).attended
    client.post(reverse("fairs:refer", args=[fair.pk]), {"invitation": long_inv.pk, "job": world["job"].pk})
    referral = Referral.objects.get(person=world["long"])
    assert referral.fair == fair and referral.job == world["job"] and referral.score == 88.0
    # A job not at this fair is refused.
    client.post(
        reverse("fairs:refer", args=[fair.pk]), {"invitation": long_inv.pk, "job": world["other_job"].pk}
    )
    assert Referral.objects.count() == 1
    page = client.get(reverse("fairs:detail", args=[fair.pk]))
    assert page.context["outcomes"] == {
        "invited": 2,
        "attended": 1,
        "referred": 1,
        "hired": 0,
        "interviewed": 0,
    }


def test_online_interview_link_from_pattern(fair, world, users, client_for, settings, captured):
    settings.BANGFU_MEETING_URL_PATTERN = (
        "https://jitsi.rsj.example.cn/{token}#config.prejoinPageEnabled=false"
    )
    referral = create_referral(users["county_a"], world["long"], world["job"], fair=fair)
    client = client_for(users["county_a"])
    when = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    with captured():
        client.post(
            reverse("referrals:step", args=[referral.pk]),
            {"status": "面试", "interview_at": when, "online": "1", "note": "视频面试"},
        )
    interview = Interview.objects.get()
    assert (
        interview.meeting_url
        == f"https://jitsi.rsj.example.cn/{interview.token}#config.prejoinPageEnabled=false"
    )
    assert len(interview.token) >= 12 and interview.fair == fair
    referral.refresh_from_db()
    assert referral.status == Status.INTERVIEW
    assert SmsMessage.objects.filter(body__contains=interview.meeting_url, phone="13900001111").exists()
    other = Interview.objects.create(
        person=world["shi"], job=world["job"], area_id=world["shi"].area_id, scheduled_at=timezone.now()
    )
    assert other.token != interview.token and other.meeting_url == meetings.url(other.token)


def test_fair_interview_page(fair, world, users, client_for, meeting_service):
    actions.invite_by_matching(users["county_a"], fair, matcher=matcher_for(world, []))
    inv = fair.invitations.get(person=world["shi"])
    client = client_for(users["county_a"])
    when = (timezone.localtime() + dt.timedelta(days=6)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("fairs:interviews", args=[fair.pk]),
        {"invitation": inv.pk, "job": world["local_job"].pk, "interview_at": when, "online": "1"},
    )
    page = client.get(reverse("fairs:interviews", args=[fair.pk])).content.decode()
    assert "石秀英" in page and "https://meet.rsj.example.gov.cn/bangfu-" in page
    # The interview is on the laborer's referral of the fair, now at 面试.
    referral = Referral.objects.get(person=world["shi"], job=world["local_job"])
    assert referral.fair == fair and referral.status == Status.INTERVIEW
    assert referral.interviews.get().online
    # A job that is not at the fair is refused.
    response = client.post(
        reverse("fairs:interviews", args=[fair.pk]),
        {"invitation": inv.pk, "job": world["other_job"].pk, "interview_at": when, "online": "1"},
    )
    assert response.status_code == 200 and Interview.objects.count() == 1


def test_create_and_edit_pages(world, users, client_for):
    client = client_for(users["county_a"])
    start = timezone.localtime() + dt.timedelta(days=10)
    data = {
        "kind": "专场招聘会", "title": "花垣县春风行动专场", "area_code": "433124", "venue": "县人社局",
        "starts_at": start.strftime("%Y-%m-%dT09:00"), "ends_at": start.strftime("%Y-%m-%dT16:00"),
        "status": "筹备中", "jobs": [world["job"].pk],
    }  # fmt: skip
    response = client.post(reverse("fairs:create"), data)
    fair = JobFair.objects.get(title="花垣县春风行动专场")
    assert response.status_code == 302 and list(fair.jobs.all()) == [world["job"]]
    outside = client.post(reverse("fairs:create"), {**data, "title": "越界", "area_code": "433123"})
    assert (
        "不在您的管辖区域内" in outside.content.decode() and not JobFair.objects.filter(title="越界").exists()
    )
    client.post(
        reverse("fairs:edit", args=[fair.pk]),
        {**data, "status": "已结束", "jobs": [world["job"].pk, world["local_job"].pk]},
    )
    fair.refresh_from_db()
    assert fair.status == "已结束" and fair.jobs.count() == 2
    listed = client.get(reverse("fairs:list")).content.decode()
    assert "花垣县春风行动专场" in listed
    assert (
        "花垣县春风行动专场" not in client_for(users["county_b"]).get(reverse("fairs:list")).content.decode()
    )


# The fair form's jobs: a search-as-you-type over open postings, never a list of every job.


def _many_jobs(employer, count):
    from bangfu.jobs.models import Job

    Job.objects.bulk_create(
        Job(employer=employer, number=f"BULK-{i}", title=f"流水线普工{i}", openings=5, openings_left=5,
            area=employer.area, deadline=dt.date(2099, 1, 1))
        for i in range(count)
    )  # fmt: skip


def test_the_form_renders_only_the_chosen_jobs_among_thousands(world, users, client_for, fair):
    _many_jobs(world["factory"], 2000)
    client = client_for(users["county_a"])
    page = client.get(reverse("fairs:create")).content.decode()
    assert "流水线普工" not in page and "还没有选择岗位" in page and reverse("fairs:job_search") in page
    assert len(page) < 40_000
    edit = client.get(reverse("fairs:edit", args=[fair.pk])).content.decode()
    assert "电子装配工" in edit and "苗绣工" in edit and "流水线普工" not in edit
    assert edit.count('type="checkbox" name="jobs"') == 2 and edit.count(" checked") == 2


def test_job_search_finds_open_postings_by_employer_or_title(world, users, client_for):
    from bangfu.jobs.models import Job

    _many_jobs(world["factory"], 40)
    client = client_for(users["county_a"])
    url = reverse("fairs:job_search")
    found = client.get(url, {"q": "苗绣"}).content.decode()
    assert "花垣苗绣扶贫车间 · 苗绣工" in found and "电子装配工" not in found
    by_employer = client.get(url, {"q": "海珠电子"}).content.decode()
    assert "广州海珠电子厂 · 仓库管理员" in by_employer and "共 42 个岗位相符" in by_employer
    assert by_employer.count('name="jobs"') == 30  # the first 30
    chosen = client.get(url, {"q": "电子装配", "jobs": [world["job"].pk]}).content.decode()
    assert "电子装配工" not in chosen and "没有找到" in chosen
    Job.objects.filter(pk=world["local_job"].pk).update(status=Job.Status.CLOSED)
    assert "苗绣工" not in client.get(url, {"q": "苗绣"}).content.decode()
    assert client.get(url, {"q": ""}).content == b""
    # The user's own area first: a county-A job before Guangzhou's, whatever the names.
    Job.objects.filter(pk=world["local_job"].pk).update(status=Job.Status.OPEN, title="装配工（本县）")
    both = client.get(url, {"q": "装配"}).content.decode()
    assert both.index("装配工（本县）") < both.index("电子装配工")


def test_saving_keeps_closed_jobs_already_at_the_fair_and_refuses_others(world, users, client_for, fair):
    from bangfu.jobs.models import Job

    Job.objects.filter(pk=world["local_job"].pk).update(status=Job.Status.CLOSED)
    Job.objects.filter(pk=world["other_job"].pk).update(status=Job.Status.CLOSED)
    client = client_for(users["county_a"])
    start, end = timezone.localtime(fair.starts_at), timezone.localtime(fair.ends_at)
    data = {
        "kind": fair.kind, "title": fair.title, "area_code": TOWNSHIP_A, "venue": fair.venue,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
        "status": fair.status,
    }  # fmt: skip
    kept = client.post(reverse("fairs:edit", args=[fair.pk]), {**data, "jobs": [world["local_job"].pk]})
    assert kept.status_code == 302 and list(fair.jobs.all()) == [world["local_job"]]
    refused = client.post(
        reverse("fairs:edit", args=[fair.pk]),
        {**data, "jobs": [world["local_job"].pk, world["other_job"].pk]},
    )
    text = refused.content.decode()
    assert (
        refused.status_code == 200 and "包装工" not in text and list(fair.jobs.all()) == [world["local_job"]]
    )
    emptied = client.post(reverse("fairs:edit", args=[fair.pk]), data)
    assert emptied.status_code == 302 and not fair.jobs.exists()
