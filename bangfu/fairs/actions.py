"""Job-fair writes: save a fair, invite laborers by matching, mark attendance, refer at the fair, and
schedule online interviews. One transaction each, with audit; text messages go out on commit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.fairs.models import FairStatus, Interview, Invitation, JobFair
from bangfu.jobs.models import Job
from bangfu.notices.actions import notify_users, send_sms
from bangfu.notices.texts import render
from bangfu.referrals.models import Status
from bangfu.registry.models import Person

INVITE_PER_JOB = 20


@transaction.atomic
def save_fair(actor, fair: JobFair, jobs=None) -> JobFair:
    """Creates or updates a fair inside the actor's area; its employers are those of its jobs."""
    if not actor.area.contains(fair.area_id):
        raise PermissionDenied("举办地不在您的管辖区域内。")
    if fair.ends_at < fair.starts_at:
        raise ValidationError("结束时间不能早于开始时间。")
    creating = fair.pk is None
    if creating:
        fair.created_by = actor
    fair.save()
    if jobs is not None:
        jobs = list(jobs)
        fair.jobs.set(jobs)
        fair.employers.set({job.employer_id for job in jobs})
    audit(
        Action.CREATE if creating else Action.UPDATE,
        actor=actor,
        obj=fair,
        message=f"{'新建' if creating else '修改'}招聘会“{fair.title}”（{fair.jobs.count()} 个岗位）",
        after=snapshot(fair),
    )
    return fair


def _when(fair: JobFair) -> str:
    return timezone.localtime(fair.starts_at).strftime("%m月%d日%H:%M")


def job_matcher():
    """The matching service's `match_for_job(job, top=, within=)`."""
    try:
        from bangfu.matching.service import match_for_job
    except ImportError as exc:
        raise ValidationError("匹配服务尚未就绪，暂时不能按匹配结果邀请。") from exc
    return match_for_job


@transaction.atomic
def invite_by_matching(actor, fair: JobFair, per_job: int = INVITE_PER_JOB, matcher=None) -> int:
    """For each open job of the fair, its best candidates among the laborers of the host area are invited
    (one invitation per laborer, for the job that fits them best) and told by text message. `matcher`
    defaults to the matching service's `match_for_job`."""
    match_for_job = matcher or job_matcher()
    if fair.status in (FairStatus.DONE, FairStatus.CANCELLED):
        raise ValidationError(f"招聘会已{fair.status[1:]}，不能再邀请。")
    best: dict[int, tuple] = {}
    for job in fair.jobs.filter(status=Job.Status.OPEN).select_related("employer"):
        for match in match_for_job(job, top=per_job, within=fair.area):
            score = match.score if match.score is not None else 0
            if match.person_id not in best or score > best[match.person_id][1]:
                best[match.person_id] = (job, score, list(match.reasons))
    already = set(fair.invitations.values_list("person_id", flat=True))
    people = Person.objects.for_area(fair.area).filter(pk__in=set(best) - already, is_deceased=False)
    invitations = []
    for person in people.select_related("area"):
        job, score, reasons = best[person.pk]
        invitations.append(
            Invitation(fair=fair, person=person, job=job, score=score, reasons=reasons, invited_by=actor)
        )
    Invitation.objects.bulk_create(invitations)
    for invitation in invitations:
        person, job = invitation.person, invitation.job
        text = render(
            "fair_invitation_sms",
            name=person.name,
            fair=fair.title,
            when=_when(fair),
            venue=fair.venue or fair.area.name,
            job=job.title,
            employer=job.employer.name,
        )
        send_sms(person.phone, text, area=person.area, ref=f"fair:{fair.pk}")
    audit(
        Action.UPDATE, actor=actor, obj=fair, message=f"按匹配结果邀请 {len(invitations)} 名劳动力参加招聘会"
    )
    return len(invitations)


@transaction.atomic
def mark_attendance(actor, fair: JobFair, attended_ids) -> int:
    """Marks who came (the given invitations) and who did not (the rest)."""
    attended_ids = {int(i) for i in attended_ids}
    now = timezone.now()
    came = fair.invitations.filter(pk__in=attended_ids, attended=False).update(attended=True, attended_at=now)
    fair.invitations.exclude(pk__in=attended_ids).filter(attended=True).update(
        attended=False, attended_at=None
    )
    total = fair.invitations.filter(attended=True).count()
    audit(Action.UPDATE, actor=actor, obj=fair, message=f"招聘会签到：新签到 {came} 人，共到场 {total} 人")
    return total


@transaction.atomic
def schedule_interview(
    actor, *, person, job, scheduled_at, referral=None, fair=None, note: str = ""
) -> Interview:
    """An online interview with a meeting link; a referral still before the interview moves to 面试."""
    if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("该劳动力不在您的管辖区域内。")
    interview = Interview.objects.create(
        referral=referral,
        fair=fair,
        person=person,
        job=job,
        area_id=person.area_id,
        scheduled_at=scheduled_at,
        note=note,
        created_by=actor,
    )
    audit(Action.CREATE, actor=actor, obj=interview, message=f"安排线上面试：{person.name} → {job.title}")
    if referral is not None and Status.INTERVIEW in referral.next_statuses:
        from bangfu.referrals.actions import advance

        advance(
            actor,
            referral,
            Status.INTERVIEW,
            note=f"安排线上面试 {timezone.localtime(scheduled_at):%m-%d %H:%M}",
        )
    when = timezone.localtime(scheduled_at).strftime("%m月%d日%H:%M")
    values = {"name": person.name, "job": job.title, "employer": job.employer.name, "when": when}
    values["url"] = interview.meeting_url
    send_sms(
        person.phone, render("interview_sms", **values), area=person.area, ref=f"interview:{interview.pk}"
    )
    link = reverse("referrals:portal_detail", kwargs={"pk": referral.pk}) if referral is not None else ""
    notify_users(
        job.employer.accounts.filter(is_active=True),
        title=render("interview_title", **values),
        body=render("interview_body", **values),
        link=link,
    )
    return interview
