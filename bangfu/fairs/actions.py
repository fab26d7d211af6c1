"""Job-fair writes: save a fair, invite laborers by matching, mark attendance, record outcomes at the fair
(referred, interviewed, hired — as referrals of the fair), and schedule interviews with a meeting link.
One transaction each, with audit; inbox notices and text messages go out on commit."""

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
from bangfu.referrals.models import OPEN_STATUSES, Referral, Status
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
    (one invitation per laborer, for the job that fits them best) and told by text message; the
    employers' accounts hear in the inbox how many were invited for their jobs. `matcher` defaults to
    the matching service's `match_for_job`."""
    _check_fair(actor, fair)
    match_for_job = matcher or job_matcher()
    if fair.status in (FairStatus.DONE, FairStatus.CANCELLED):
        raise ValidationError(f"招聘会{fair.status}，不能再邀请。")
    best: dict[int, tuple] = {}
    for job in fair.jobs.filter(status=Job.Status.OPEN).select_related("employer").order_by("pk"):
        for match in match_for_job(job, top=per_job, within=fair.area):
            score = match.score if match.score is not None else 0
            if match.person_id not in best or score > best[match.person_id][1]:
                best[match.person_id] = (job, score, list(match.reasons))
    already = set(fair.invitations.values_list("person_id", flat=True))
    people = Person.objects.for_area(fair.area).filter(pk__in=set(best) - already, is_deceased=False)
    invitations = []
    for person in people.select_related("area").order_by("pk"):
        job, score, reasons = best[person.pk]
        invitations.append(
            Invitation(fair=fair, person=person, job=job, score=score, reasons=reasons, invited_by=actor)
        )
    Invitation.objects.bulk_create(invitations)
    venue = fair.venue or fair.area.name
    for invitation in invitations:
        person, job = invitation.person, invitation.job
        text = render(
            "fair_invitation_sms", name=person.name, fair=fair.title, when=_when(fair), venue=venue,
            job=job.title, employer=job.employer.name,
        )  # fmt: skip
        send_sms(person.phone, text, area=person.area, ref=f"fair:{fair.pk}")
    if invitations:  # every employer of the fair meets every laborer who comes
        for employer in fair.employers.order_by("pk"):
            best = [i for i in invitations if i.job.employer_id == employer.pk]
            titles = "、".join(f"“{t}”" for t in dict.fromkeys(i.job.title for i in best))
            notify_users(
                employer.accounts.filter(is_active=True),
                title=render("fair_invitation_title", fair=fair.title),
                body=render(
                    "fair_invitation_body",
                    fair=fair.title,
                    when=_when(fair),
                    venue=venue,
                    count=len(invitations),
                    best=f"，其中 {len(best)} 名与贵单位岗位{titles}最匹配" if best else "",
                ),
                link=reverse("referrals:portal"),
            )
    audit(
        Action.UPDATE, actor=actor, obj=fair, message=f"按匹配结果邀请 {len(invitations)} 名劳动力参加招聘会"
    )
    return len(invitations)


def _check_fair(actor, fair: JobFair) -> None:
    if not JobFair.objects.for_user(actor).filter(pk=fair.pk).exists():
        raise PermissionDenied("该招聘会不在您的管辖区域内。")


@transaction.atomic
def mark_attendance(actor, fair: JobFair, attended_ids) -> int:
    """Marks who came (the given invitations) and who did not (the rest)."""
    _check_fair(actor, fair)
    attended_ids = {int(i) for i in attended_ids}
    now = timezone.now()
    came = fair.invitations.filter(pk__in=attended_ids, attended=False).update(attended=True, attended_at=now)
    fair.invitations.exclude(pk__in=attended_ids).filter(attended=True).update(
        attended=False, attended_at=None
    )
    total = fair.invitations.filter(attended=True).count()
    audit(Action.UPDATE, actor=actor, obj=fair, message=f"招聘会签到：新签到 {came} 人，共到场 {total} 人")
    return total


# What staff record for an invited laborer at the fair, and the referral status each leads to.
OUTCOMES = {
    "推荐": Status.REFERRED,  # referred to a fair job on the spot
    "面试": Status.INTERVIEW,  # interviewed at the employer's stand
    "录用": Status.HIRED,
    "未录用": Status.REJECTED,
}


def _fair_referral(actor, fair: JobFair, invitation: Invitation, job: Job) -> Referral:
    """The laborer's open referral to this job (made at the fair, or before it), else a new one of the
    fair."""
    from bangfu.referrals.actions import create_referral

    referral = (
        Referral.objects.filter(person=invitation.person, job=job, status__in=OPEN_STATUSES)
        .order_by("-id")
        .first()
    )
    if referral is not None:
        return referral
    closed = fair.referrals.filter(person=invitation.person, job=job).order_by("-id").first()
    if closed is not None:
        raise ValidationError(
            f"{invitation.person.name}在本场招聘会应聘“{job.title}”已有结果：{closed.status}。"
        )
    return create_referral(
        actor, invitation.person, job, score=invitation.score if invitation.job_id == job.pk else None,
        reasons=invitation.reasons if invitation.job_id == job.pk else ["招聘会现场对接"], fair=fair,
    )  # fmt: skip


def _invitation_and_job(fair: JobFair, invitation: Invitation, job: Job) -> None:
    if invitation.fair_id != fair.pk:
        raise ValidationError("该劳动力未受邀参加本场招聘会。")
    if not fair.jobs.filter(pk=job.pk).exists():
        raise ValidationError("该岗位不是本场招聘会的岗位。")
    if fair.status == FairStatus.CANCELLED:
        raise ValidationError("招聘会已取消。")


@transaction.atomic
def record_outcome(
    actor, fair: JobFair, invitation: Invitation, job: Job, outcome: str, *, started_on=None, note: str = ""
) -> Referral:
    """An invited laborer's outcome at the fair, as a referral of the fair: referred on the spot, interviewed
    at the stand, hired (after the interview at the stand; the hire makes the employment record) or not
    hired. The laborer is marked as come."""
    from bangfu.referrals.actions import advance

    _check_fair(actor, fair)
    if outcome not in OUTCOMES:
        raise ValidationError(f"没有“{outcome}”这种招聘会结果。")
    _invitation_and_job(fair, invitation, job)
    if not invitation.attended:
        Invitation.objects.filter(pk=invitation.pk).update(attended=True, attended_at=timezone.now())
    referral = _fair_referral(actor, fair, invitation, job)
    target = OUTCOMES[outcome]
    referral.refresh_from_db()
    if target == Status.REFERRED or referral.status == target:
        return referral
    if target == Status.HIRED and referral.status not in (Status.INTERESTED, Status.INTERVIEW):
        referral = _interview_at_stand(actor, fair, referral)
    if target == Status.INTERVIEW:
        return _interview_at_stand(actor, fair, referral, note=note)
    return advance(actor, referral, target, note=note or f"{fair.title}现场", started_on=started_on)


def _interview_at_stand(actor, fair: JobFair, referral: Referral, note: str = "") -> Referral:
    from bangfu.referrals.actions import advance

    return advance(
        actor, referral, Status.INTERVIEW, note=note or f"{fair.title}现场面试", interview_at=timezone.now(),
        online=False, venue=fair.venue or fair.area.name,
    )  # fmt: skip


@transaction.atomic
def schedule_interview(
    actor, fair: JobFair, invitation: Invitation, job: Job, *, scheduled_at, online: bool = True,
    venue: str = "", note: str = "",
) -> Interview:  # fmt: skip
    """An interview of an invited laborer for a fair job (online by default, with its meeting link),
    through the laborer's referral to that job (made for the fair when there is none): the referral
    moves to 面试 and both sides are told."""
    from bangfu.referrals import actions as referral_actions

    _check_fair(actor, fair)
    _invitation_and_job(fair, invitation, job)
    referral = _fair_referral(actor, fair, invitation, job)
    return referral_actions.schedule_interview(
        actor, referral, scheduled_at=scheduled_at, online=online, venue=venue, note=note
    )
