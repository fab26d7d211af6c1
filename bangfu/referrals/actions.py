"""Referral writes: create, move a step, hire (with its employment record), give up on death; and the
311 service records. Each is one transaction with its audit events; notices go out on commit."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.employment.actions import channel_for, create_record
from bangfu.employment.models import Channel, EmploymentRecord, Source
from bangfu.fairs import meetings
from bangfu.fairs.models import Interview
from bangfu.jobs.models import Job
from bangfu.referrals import notify
from bangfu.referrals.models import (
    CLOSED_STATUSES,
    EMPLOYER_ANSWERS,
    LABORER_REASONS,
    OPEN_STATUSES,
    TRANSITIONS,
    LaborerAnswer,
    Referral,
    ReferralStep,
    ServiceKind,
    ServiceRecord,
    Status,
    StepChannel,
    WithdrawReason,
)
from bangfu.registry import vocab
from bangfu.registry.models import Person

DUPLICATE_MESSAGE = "该劳动力已被推荐到这个岗位，推荐尚未结束，不能重复推荐。"


def seekers(people):
    """Laborers who want work: of working age with labor ability, alive, and not in work now."""
    return people.laborers().filter(~Q(employment_status__in=vocab.EMPLOYED))


@transaction.atomic
def create_referral(
    actor, person: Person, job: Job, *, score=None, reasons=(), auto: bool = False, fair=None, note: str = ""
) -> Referral:
    """Refers `person` to `job`. Staff must see the person (their area) and the job (an open posting);
    `actor=None` is the system (automatic referral)."""
    if actor is not None:
        if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
            raise PermissionDenied("该劳动力不在您的管辖区域内。")
        if not Job.objects.postings_for(actor).filter(pk=job.pk).exists():
            raise PermissionDenied("该岗位不存在或已停止招聘。")
    if person.is_deceased:
        raise ValidationError("该人员已故，不能推荐。")
    if job.status != Job.Status.OPEN or job.openings_left <= 0:
        raise ValidationError("该岗位已招满或已停止招聘，不能推荐。")
    if job.deadline and job.deadline < timezone.localdate():
        raise ValidationError("该岗位已过报名截止日期，不能推荐。")
    if Referral.objects.filter(person=person, job=job, status__in=OPEN_STATUSES).exists():
        raise ValidationError(DUPLICATE_MESSAGE)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                person=person,
                job=job,
                area_id=person.area_id,
                score=score,
                reasons=[str(r) for r in reasons],
                auto=auto,
                referred_by=actor,
                fair=fair,
            )
    except IntegrityError as exc:  # a concurrent referral of the same pair won the race
        raise ValidationError(DUPLICATE_MESSAGE) from exc
    channel = StepChannel.SYSTEM if actor is None else StepChannel.STAFF
    default_note = "系统按匹配结果自动推荐" if auto else ("招聘会现场推荐" if fair else "")
    ReferralStep.objects.create(
        referral=referral, to_status=Status.REFERRED, by=actor, channel=channel, note=note or default_note
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=referral,
        message=f"推荐 {person.name} 到岗位“{job.title}”（{job.employer.name}）"
        + ("（系统自动）" if auto else ""),
        after=snapshot(referral),
    )
    notify.referral_created(referral)
    return referral


def _check_actor(actor, referral: Referral, to_status: str, channel: str) -> None:
    if channel == StepChannel.SYSTEM:
        return
    if channel == StepChannel.EMPLOYER:
        if not Referral.objects.for_employer_account(actor).filter(pk=referral.pk).exists():
            raise PermissionDenied("这条推荐不是推荐到贵单位岗位的。")
        if to_status not in EMPLOYER_ANSWERS:
            raise ValidationError(f"用人单位不能把推荐改为“{to_status}”。")
        return
    if channel == StepChannel.LABORER:
        # Only through answer_as_laborer, which checked that the referral is the laborer's own.
        if getattr(actor, "kind", None) != "laborer" or to_status != Status.WITHDRAWN:
            raise PermissionDenied("劳动者本人只能回复“不考虑”。")
        return
    if not Referral.objects.for_user(actor).filter(pk=referral.pk).exists():
        raise PermissionDenied("这条推荐不在您的管辖区域内。")


def refusal(current: str, to_status: str) -> str:
    """Why the table forbids moving from `current` to `to_status`, in Chinese; "" when it allows it."""
    if to_status not in Status.values:
        return f"没有“{to_status}”这个推荐状态。"
    if current in CLOSED_STATUSES:
        return f"该推荐已经“{current}”，不能再改为“{to_status}”。"
    if to_status not in TRANSITIONS[current]:
        allowed = "、".join(TRANSITIONS[current])
        return f"推荐状态不能从“{current}”改为“{to_status}”（可改为：{allowed}）。"
    return ""


def _check_day(referral: Referral, on: date) -> None:
    """A step happens between the referral's day and today."""
    if on > timezone.localdate():
        raise ValidationError("日期不能晚于今天。")
    referred_on = timezone.localtime(referral.created_at).date()
    if on < referred_on:
        raise ValidationError(f"日期不能早于推荐日期（{referred_on:%Y-%m-%d}）。")


def _check_reason(to_status: str, reason: str, note: str) -> str:
    """放弃 needs one of the reasons (其他 with the note saying which); other steps carry none."""
    if to_status != Status.WITHDRAWN:
        return ""
    if not reason:
        raise ValidationError("改为“放弃”时请选择放弃原因。")
    if reason not in WithdrawReason.values:
        raise ValidationError(f"没有“{reason}”这个放弃原因。")
    if reason == WithdrawReason.OTHER and not note.strip():
        raise ValidationError("放弃原因选“其他”时，请在说明中写明原因。")
    return reason


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def advance(
    actor,
    referral: Referral,
    to_status: str,
    *,
    note: str = "",
    channel: str = StepChannel.STAFF,
    on: date | None = None,
    started_on: date | None = None,
    interview_at=None,
    online: bool = False,
    venue: str = "",
    reason: str = "",
    monthly_wage: int | None = None,
    send_notices: bool = True,
) -> Referral:
    """Moves a referral one step. Only the moves in TRANSITIONS are allowed; each is recorded with who,
    when it was recorded and the day it happened (`on`, default today). 面试 needs its time
    (`interview_at`) and books the interview: `online` with a meeting link, else at `venue`. 放弃 needs a
    `reason` (WithdrawReason). 录用 starts work on `started_on` (default today) at `monthly_wage` (the
    actual wage, asked by the forms; None records it as unknown, never the job's minimum), and gives up the
    laborer's other open referrals (放弃, 已在其他单位就业), each told to its employer and staff."""
    referral = (
        Referral.objects.select_for_update().select_related("person", "job__employer").get(pk=referral.pk)
    )
    _check_actor(actor, referral, to_status, channel)
    current = referral.status
    refused = refusal(current, to_status)
    if refused:
        raise ValidationError(refused)
    on = on or timezone.localdate()
    _check_day(referral, on)
    reason = _check_reason(to_status, reason, note)
    if to_status == Status.INTERVIEW and interview_at is None:
        raise ValidationError("改为“面试”时请填写面试时间。")
    before = snapshot(referral, ["status", "closed_at", "employment"])
    if to_status == Status.HIRED:
        referral.employment = _hire(actor, referral, started_on or timezone.localdate(), monthly_wage)
    referral.status = to_status
    if to_status in CLOSED_STATUSES:
        referral.closed_at = timezone.now()
    referral.save(update_fields=["status", "closed_at", "employment", "updated_at"])
    interview = None
    if to_status == Status.INTERVIEW:
        interview = _book_interview(actor, referral, interview_at, online=online, venue=venue, note=note)
        note = f"面试时间 {_when(interview_at)}，{interview.where}" + (f"；{note}" if note else "")
    step = ReferralStep.objects.create(
        referral=referral,
        from_status=current,
        to_status=to_status,
        by=actor,
        channel=channel,
        note=note[:300],
        on=on,
        reason=reason,
    )
    detail = "：".join(x for x in (reason, note) if x)
    audit(
        Action.UPDATE,
        actor=actor,
        obj=referral,
        message=f"推荐状态 {current} → {to_status}"
        + (f"（{on:%Y-%m-%d}）" if on != timezone.localdate() else "")
        + (f"：{detail}" if detail else ""),
        before=before,
        after=snapshot(referral, ["status", "closed_at", "employment"]),
    )
    if send_notices:
        notify.referral_step(referral, step, interview=interview)
    if to_status == Status.HIRED:
        _give_up_others(referral)
    return referral


@transaction.atomic
def answer_as_laborer(
    actor, person: Person, referral: Referral, answer: str, *, reason: str = "", note: str = ""
) -> Referral:
    """The laborer's own answer (劳动者自助服务; `actor` their laborer account, `person` the registry person
    it is linked to): 有意向 is kept on the referral and told to the staff and the employer, the status left
    to them; 不考虑 gives the referral up (放弃, the laborer's reason, channel 劳动者本人). Audited."""
    referral = (
        Referral.objects.select_for_update().select_related("person", "job__employer").get(pk=referral.pk)
    )
    if referral.person_id != person.pk:
        raise PermissionDenied("这条推荐不是推荐给您的。")
    if answer not in LaborerAnswer.values:
        raise ValidationError("请选择“有意向”或“不考虑”。")
    if not referral.is_open:
        raise ValidationError(f"该推荐已经“{referral.status}”，不能再回复。")
    if answer == LaborerAnswer.DECLINED and reason not in LABORER_REASONS:
        raise ValidationError("选择“不考虑”时请选择原因。")
    if answer == referral.laborer_answer:
        return referral
    before = snapshot(referral, ["laborer_answer", "laborer_answered_at"])
    referral.laborer_answer, referral.laborer_answered_at = answer, timezone.now()
    referral.save(update_fields=["laborer_answer", "laborer_answered_at", "updated_at"])
    if answer == LaborerAnswer.DECLINED:
        return advance(
            actor, referral, Status.WITHDRAWN, channel=StepChannel.LABORER, reason=reason,
            note=note.strip() or "本人回复不考虑",
        )  # fmt: skip
    audit(
        Action.UPDATE,
        actor=actor,
        obj=referral,
        message="劳动者本人回复：有意向" + (f"：{note.strip()}" if note.strip() else ""),
        before=before,
        after=snapshot(referral, ["laborer_answer", "laborer_answered_at"]),
    )
    notify.laborer_answered(referral, note=note.strip())
    return referral


def _give_up_others(hired: Referral) -> None:
    """The laborer now works: their other open referrals are given up by the system (放弃, 已在其他单位就业),
    each a step with its audit entry, and its employer and staff told in the inbox (no text to the
    laborer). Recorded today, whatever day the hire happened."""
    others = (
        Referral.objects.filter(person_id=hired.person_id, status__in=OPEN_STATUSES)
        .exclude(pk=hired.pk)
        .order_by("pk")
    )
    note = f"已被{hired.job.employer.name}“{hired.job.title}”录用（推荐 #{hired.pk}），本推荐自动关闭"
    for other in others:
        advance(
            None, other, Status.WITHDRAWN, reason=WithdrawReason.EMPLOYED_ELSEWHERE, note=note,
            channel=StepChannel.SYSTEM,
        )  # fmt: skip


def _book_interview(actor, referral: Referral, at, *, online: bool, venue: str, note: str) -> Interview:
    if online and not meetings.available():
        raise ValidationError(meetings.UNAVAILABLE)
    if timezone.localtime(at).date() < timezone.localtime(referral.created_at).date():
        raise ValidationError("面试时间不能早于推荐日期。")
    interview = Interview.objects.create(
        referral=referral,
        fair=referral.fair,
        person=referral.person,
        job=referral.job,
        area_id=referral.area_id,
        scheduled_at=at,
        online=online,
        venue="" if online else venue.strip()[:200],
        note=note[:200],
        created_by=actor,
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=interview,
        message=f"安排面试：{referral.person.name} → {referral.job.title}，{_when(at)}，{interview.where}",
        after=snapshot(interview),
    )
    return interview


@transaction.atomic
def schedule_interview(
    actor,
    referral: Referral,
    *,
    scheduled_at,
    online: bool = True,
    venue: str = "",
    note: str = "",
    channel: str = StepChannel.STAFF,
) -> Interview:
    """An interview for a referral: before 面试 it is the step to 面试; at 面试 another round (or a new
    time), told to both sides like the step."""
    referral = Referral.objects.select_related("person", "job__employer").get(pk=referral.pk)
    if Status.INTERVIEW in referral.next_statuses:
        advance(
            actor, referral, Status.INTERVIEW, note=note, channel=channel, interview_at=scheduled_at,
            online=online, venue=venue,
        )  # fmt: skip
        return referral.interviews.order_by("-id").first()
    _check_actor(actor, referral, Status.INTERVIEW, channel)
    if referral.status != Status.INTERVIEW:
        raise ValidationError(f"该推荐已经“{referral.status}”，不能再安排面试。")
    interview = _book_interview(actor, referral, scheduled_at, online=online, venue=venue, note=note)
    notify.interview_added(referral, interview, by_employer=channel == StepChannel.EMPLOYER)
    return interview


def _hire(actor, referral: Referral, started_on: date, monthly_wage: int | None) -> EmploymentRecord:
    """The hire's side effects: one opening fewer (the job closes at none), an employment record, and the
    laborer's employment status."""
    job = Job.objects.select_for_update().select_related("employer").get(pk=referral.job_id)
    if job.openings_left <= 0:
        raise ValidationError("该岗位名额已满，不能再录用。")
    job_before = snapshot(job, ["openings_left", "status"])
    job.openings_left -= 1
    if job.openings_left == 0:
        job.status = Job.Status.CLOSED
    job.save(update_fields=["openings_left", "status", "updated_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=job,
        message=f"推荐录用 1 人，剩余名额 {job.openings_left}"
        + ("，岗位已招满关闭" if job.openings_left == 0 else ""),
        before=job_before,
        after=snapshot(job, ["openings_left", "status"]),
    )
    person = Person.objects.select_for_update().get(pk=referral.person_id)
    record = EmploymentRecord(
        employer=job.employer,
        job=job,
        work_area_id=job.area_id,
        channel=channel_for(
            person.area_id,
            employer=job.employer,
            work_code=job.area_id,
            on=started_on,
            default=Channel.REFERRAL,
        ),
        started_on=started_on,
        monthly_wage=monthly_wage,
        source=Source.REFERRAL,
        source_ref=f"referral:{referral.pk}",
    )
    # The actor's rights were checked for the step (staff of the area, or the employer in its portal).
    return create_record(
        actor, person, record, check_scope=False, status_source="推荐录用", message="推荐录用生成就业记录"
    )


def mark_notified(referral_id: int) -> None:
    """After the laborer's text message went out: 推荐 → 已通知, by the system."""
    referral = Referral.objects.filter(pk=referral_id, status=Status.REFERRED).first()
    if referral is not None:
        advance(
            None,
            referral,
            Status.NOTIFIED,
            note="短信通知已发送",
            channel=StepChannel.SYSTEM,
            send_notices=False,
        )


def withdraw_for_deceased(person: Person, actor=None) -> int:
    """Every open referral of a person who died is given up (放弃, 已故)."""
    count = 0
    for referral in Referral.objects.filter(person=person, status__in=OPEN_STATUSES):
        advance(
            actor, referral, Status.WITHDRAWN, note="已故", reason=WithdrawReason.DECEASED,
            channel=StepChannel.SYSTEM, send_notices=False,
        )  # fmt: skip
        count += 1
    return count


@transaction.atomic
def record_services(actor, people, *, kind: str, on: date, note: str = "") -> int:
    """One service record (职业指导 or 培训信息) for each of `people`, which must be in the actor's area."""
    if kind not in ServiceKind.values:
        raise ValidationError(f"没有“{kind}”这种服务。")
    people = list(people)
    allowed = set(
        Person.objects.for_user(actor).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True)
    )
    if len(allowed) != len({p.pk for p in people}):
        raise PermissionDenied("有人员不在您的管辖区域内。")
    records = ServiceRecord.objects.bulk_create(
        ServiceRecord(person=p, area_id=p.area_id, kind=kind, date=on, by=actor, note=note[:300])
        for p in people
    )
    if len(records) == 1:
        audit(Action.CREATE, actor=actor, obj=records[0], message=f"登记{kind}：{people[0].name}")
    elif records:
        audit(
            Action.CREATE,
            actor=actor,
            area_code=actor.area_id,
            message=f"批量登记{kind} {len(records)} 人（{on}）",
        )
    return len(records)
