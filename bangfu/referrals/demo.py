"""Demo referrals, services and job fairs (两头对接), made through the real actions so that steps, audit
events, inbox notices and text messages (the file backend) exist as they would in use.

Deterministic: the laborers and jobs are taken in id order and ranked by the matching service. Called by
`demo.build.build_demo` after the jobs demo; does nothing when referrals exist already or there are no
open jobs.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.areas.models import Area, Level
from bangfu.fairs import actions as fair_actions
from bangfu.fairs import meetings
from bangfu.fairs.models import FairKind, FairStatus, JobFair
from bangfu.jobs.models import Job
from bangfu.referrals import actions
from bangfu.referrals.models import Referral, ServiceKind, Status, StepChannel, WithdrawReason
from bangfu.registry.models import Person

logger = logging.getLogger(__name__)
# The path each demo referral takes; "推荐" goes to a laborer without a phone (no SMS, so it stays).
PATHS = [
    [],
    [Status.NOTIFIED],
    [Status.INTERESTED],
    [Status.INTERESTED, Status.INTERVIEW],
    [Status.INTERESTED, Status.INTERVIEW, Status.HIRED],
    [Status.INTERVIEW, Status.REJECTED],
    [Status.NOTIFIED, Status.WITHDRAWN],
]
PER_COUNTY = 21


def build_referrals_demo(counties) -> None:
    if Referral.objects.exists():
        return
    today = timezone.localdate()
    if not Job.objects.open_on(today).exists():
        logger.warning("没有招聘中的岗位，跳过推荐演示数据。")
        return
    for code in counties:
        county = Area.objects.get(code=code.ljust(12, "0"))
        actor = User.objects.filter(username=f"demo{code}").first()
        if actor is None:
            continue
        _referrals(actor, county, today)
        _services(actor, county, today)
    first = counties[0]
    actor = User.objects.get(username=f"demo{first}")
    _fairs(actor, Area.objects.get(code=first.ljust(12, "0")), today)


def _demo_jobs(county: Area, today) -> list[Job]:
    """Jobs of the demo enterprise account's employer first (so its portal has referrals), then the
    county's own jobs, then others."""
    open_jobs = (
        Job.objects.open_on(today)
        .filter(openings_left__gte=3)
        .select_related("employer", "area")
        .order_by("id")
    )
    own = list(open_jobs.filter(employer__accounts__isnull=False).distinct()[:3])
    local = list(open_jobs.for_area(county).exclude(pk__in=[j.pk for j in own])[:2])
    others = list(open_jobs.exclude(pk__in=[j.pk for j in own + local])[:2])
    return own + local + others


def _candidates(job: Job, county: Area, top: int):
    from bangfu.matching.service import match_for_job

    try:
        return match_for_job(job, top=top, within=county)
    except Exception:  # the demo should not fail because matching could not rank
        logger.exception("演示数据：岗位 %s 匹配失败", job.pk)
        return []


def _referrals(actor: User, county: Area, today) -> None:
    jobs = _demo_jobs(county, today)
    pairs, used = [], set()
    for job in jobs:
        for match in _candidates(job, county, 8):
            if match.person_id not in used:
                used.add(match.person_id)
                pairs.append((match.person_id, job, match.score, match.reasons))
                break
    # Fill up deterministically from the county's laborers who want work.
    seekers = actions.seekers(Person.objects.for_area(county)).exclude(pk__in=used).order_by("id")
    no_phone = list(seekers.filter(phone="").values_list("pk", flat=True)[:3])
    with_phone = list(seekers.exclude(phone="").values_list("pk", flat=True)[: PER_COUNTY * 2])
    for i, person_id in enumerate(with_phone):
        if len(pairs) >= PER_COUNTY:
            break
        pairs.append((person_id, jobs[i % len(jobs)], None, ["演示：按就业意向推荐"]))
    for index, (person_id, job, score, reasons) in enumerate(pairs):
        path = PATHS[index % len(PATHS)]
        if not path and no_phone:
            person_id = no_phone.pop()
        person = Person.objects.select_related("area").get(pk=person_id)
        job.refresh_from_db()
        try:
            referral = actions.create_referral(actor, person, job, score=score, reasons=reasons)
            _walk(actor, referral, path, today)
        except (ValidationError, PermissionDenied) as exc:
            logger.warning("演示推荐跳过：%s", exc)


def _walk(actor: User, referral: Referral, path, today) -> None:
    accounts = list(referral.job.employer.accounts.filter(is_active=True)[:1])
    for status in path:
        referral.refresh_from_db()
        if referral.status == status:  # 已通知 already: the laborer's text message went out on commit
            continue
        by_employer = accounts and status in (Status.INTERESTED, Status.HIRED, Status.REJECTED)
        options = {}
        if status == Status.INTERVIEW:  # online for one in two (with a meeting service), else on site
            when = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
            online = meetings.available() and referral.pk % 2 == 0
            options = {
                "interview_at": when + dt.timedelta(days=3),
                "online": online,
                "venue": "" if online else f"{referral.job.employer.name}人力资源部",
                "note": "演示：视频面试" if online else "演示：现场面试",
            }
        elif status == Status.WITHDRAWN:
            options = {"reason": WithdrawReason.EMPLOYED_ELSEWHERE, "note": "已在本地就业"}
        elif status == Status.REJECTED:
            options = {"note": "岗位要求有相关经验"}
        elif status == Status.HIRED:  # the wage agreed: the middle of the job's range in the demo
            job = referral.job
            options = {"monthly_wage": ((job.wage_min or 3000) + (job.wage_max or job.wage_min or 3000)) // 2}
        elif status == Status.NOTIFIED:
            options = {"note": "村协理员入户告知"}
        actions.advance(
            accounts[0] if by_employer else actor,
            referral,
            status,
            channel=StepChannel.EMPLOYER if by_employer else StepChannel.STAFF,
            started_on=today,
            **options,
        )


def _services(actor: User, county: Area, today) -> None:
    people = list(actions.seekers(Person.objects.for_area(county)).order_by("id")[:60])
    actions.record_services(actor, people[:40], kind=ServiceKind.GUIDANCE, on=today, note="演示：职业指导")
    actions.record_services(
        actor, people[20:50], kind=ServiceKind.TRAINING, on=today, note="演示：电工培训班招生"
    )


def _fairs(actor: User, county: Area, today) -> None:
    townships = Area.objects.filter(parent=county, level=Level.TOWNSHIP).current().order_by("code")
    township = townships.filter(name__endswith="镇").first() or townships.first() or county
    open_jobs = Job.objects.open_on(today).order_by("id")
    local = list(open_jobs.for_area(county)[:3])
    elsewhere = open_jobs.filter(Q(area_id__lt="430000000000") | Q(area_id__gt="439999999999"))
    outside = list(elsewhere.filter(employer__accounts__isnull=False).distinct()[:2])
    outside += list(elsewhere.exclude(pk__in=[j.pk for j in outside])[:3])
    # The 送岗下乡 fair is on today (its outcomes are recorded today); the online fair is two weeks on.
    start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        fair = fair_actions.save_fair(
            actor,
            JobFair(
                kind=FairKind.TO_VILLAGES, title=f"{township.name}送岗下乡专场招聘会", area=township,
                venue=f"{township.name}人民政府广场", starts_at=start, ends_at=start + dt.timedelta(hours=9),
                status=FairStatus.OPEN,
                description="粤湘劳务协作企业与本县扶贫车间现场招聘，提供线上视频面试。",
            ),
            jobs=local + outside,
        )  # fmt: skip
    try:
        fair_actions.invite_by_matching(actor, fair, per_job=10)
    except ValidationError as exc:
        logger.warning("演示招聘会邀请跳过：%s", exc)
    invitations = [
        i for i in fair.invitations.select_related("person", "job").order_by("-score", "id") if i.job
    ]
    fair_actions.mark_attendance(actor, fair, [i.pk for i in invitations[:8]])
    # Outcomes at the fair: hired at the stand, interviewed there, not hired, hired; then online interviews
    # after the fair: a second round for the one interviewed at the stand, a first one for the next two.
    outcomes = ["录用", "面试", "未录用", "录用"]
    for invitation, outcome in zip(invitations, outcomes, strict=False):
        try:
            fair_actions.record_outcome(
                actor, fair, invitation, invitation.job, outcome, note="演示：招聘会现场"
            )
        except (ValidationError, PermissionDenied) as exc:
            logger.warning("演示招聘会结果跳过：%s", exc)
    for invitation in invitations[1:2] + invitations[len(outcomes) : len(outcomes) + 2]:
        try:
            fair_actions.schedule_interview(
                actor, fair, invitation, invitation.job, scheduled_at=start + dt.timedelta(days=2, hours=2),
                online=meetings.available(), venue=fair.venue,
                note="招聘会后线上面试" if meetings.available() else "招聘会后现场面试",
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            logger.warning("演示招聘会面试跳过：%s", exc)
    online_start = start + dt.timedelta(days=14)
    with transaction.atomic():
        fair_actions.save_fair(
            actor,
            JobFair(
                kind=FairKind.ONLINE, title=f"{county.name}粤湘劳务协作线上招聘会", area=county,
                venue="线上（视频）", starts_at=online_start, ends_at=online_start + dt.timedelta(hours=4),
                status=FairStatus.PLANNED,
            ),
            jobs=outside,
        )  # fmt: skip
