"""Who hears about a referral and what they read: the laborer by text message, the employer's accounts in
the inbox and its contact by text message, the staff in the inbox. Sent on commit.

On a step, the side that did not take it hears of it: the employer's accounts of the staff's (and the
system's) steps, the referring staff member of the employer's answers and of steps other staff took (an
automatic referral has no referrer: the staff accounts of the laborer's county hear instead), and the
laborer by SMS of 有意向, 面试 (time, and the link or the venue), 录用 and 未录用."""

from functools import partial

from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import Kind, User
from bangfu.notices.actions import notify_users, send_sms
from bangfu.notices.texts import render
from bangfu.referrals.models import StepChannel


def _wage(job) -> str:
    if job.wage_min and job.wage_max:
        return f"月薪{job.wage_min}-{job.wage_max}元"
    if job.wage_min or job.wage_max:
        return f"月薪{job.wage_min or job.wage_max}元"
    return "工资面议"


def _values(referral) -> dict:
    person, job = referral.person, referral.job
    contact = referral.referred_by
    return {
        "name": person.name,
        "age": person.age,
        "education": person.education or "学历未填",
        "job": job.title,
        "employer": job.employer.name,
        "work_area": job.area.name,
        "wage": _wage(job),
        "contact": (contact.phone if contact is not None and contact.phone else "当地人社部门"),
    }


def _employer_accounts(job):
    return list(job.employer.accounts.filter(is_active=True))


def _staff(referral, actor) -> list:
    """The staff who follow the referral: its referrer, or for an automatic one the laborer's county."""
    if referral.referred_by_id:
        followers = [referral.referred_by]
    else:
        county = referral.area_id[:6].ljust(12, "0")
        followers = list(User.objects.filter(kind=Kind.STAFF, is_active=True, area_id=county))
    return [u for u in followers if actor is None or u.pk != actor.pk]


def interview_values(interview) -> dict:
    when = timezone.localtime(interview.scheduled_at).strftime("%m月%d日%H:%M")
    if interview.online:
        sms_where = render("interview_online_sms", url=interview.meeting_url)
        link = f"，会议链接：{interview.meeting_url}"
    else:
        sms_where = render("interview_on_site_sms", venue=interview.venue or "请留意单位通知")
        link = ""
    detail = render("interview_detail", when=when, where=interview.where, link=link)
    return {"when": when, "where": sms_where, "interview": detail}


def referral_created(referral) -> None:
    from bangfu.referrals.actions import mark_notified

    values = _values(referral)
    ref = f"referral:{referral.pk}"
    send_sms(
        referral.person.phone,
        render("referral_laborer_sms", **values),
        area=referral.area,
        ref=ref,
        on_sent=partial(mark_notified, referral.pk),
    )
    notify_users(
        _employer_accounts(referral.job),
        title=render("referral_employer_title", **values),
        body=render("referral_employer_body", **values),
        link=reverse("referrals:portal_detail", kwargs={"pk": referral.pk}),
    )
    if referral.job.employer.contact_phone:
        send_sms(
            referral.job.employer.contact_phone,
            render("referral_employer_sms", **values),
            area=referral.area,
            ref=ref,
        )


def _actor_name(referral, step) -> str:
    actor = step.by
    if step.channel == StepChannel.EMPLOYER:
        return referral.job.employer.name
    if step.channel == StepChannel.LABORER:
        return f"{referral.person.name}本人"
    if step.channel == StepChannel.SYSTEM or actor is None:
        return "系统"
    return f"{actor.display_name}（{actor.area.name if actor.area_id else '人社部门'}）"


def referral_step(referral, step, interview=None) -> None:
    values = _values(referral)
    values.update(actor=_actor_name(referral, step), status=step.to_status)
    employment = referral.employment
    values["started_on"] = f"{employment.started_on:%Y-%m-%d}" if employment is not None else ""
    parts = [f"原因：{step.reason}" if step.reason else "", step.note]
    if interview is not None:
        values.update(interview_values(interview))
        parts = [values["interview"], interview.note]  # the step's note repeats the time
    values["detail"] = "；".join(p for p in parts if p)
    title, body = render("step_title", **values), render("step_body", **values)
    staff_link = reverse("referrals:detail", kwargs={"pk": referral.pk})
    if step.channel == StepChannel.EMPLOYER:
        notify_users(_staff(referral, None), title=title, body=body, link=staff_link)
    else:
        notify_users(_staff(referral, step.by), title=title, body=body, link=staff_link)
        notify_users(
            _employer_accounts(referral.job),
            title=title,
            body=body,
            link=reverse("referrals:portal_detail", kwargs={"pk": referral.pk}),
        )
    text = render("step_laborer_sms", step.to_status, **values)
    if text:
        send_sms(referral.person.phone, text, area=referral.area, ref=f"referral:{referral.pk}")


def laborer_answered(referral, note: str = "") -> None:
    """The laborer's own 有意向 (劳动者自助服务): the staff who follow the referral and the employer."""
    values = {**_values(referral), "answer": referral.laborer_answer, "detail": note}
    title, body = render("laborer_answer_title", **values), render("laborer_answer_body", **values)
    notify_users(
        _staff(referral, None), title=title, body=body,
        link=reverse("referrals:detail", kwargs={"pk": referral.pk}),
    )  # fmt: skip
    notify_users(
        _employer_accounts(referral.job), title=title, body=body,
        link=reverse("referrals:portal_detail", kwargs={"pk": referral.pk}),
    )  # fmt: skip


def interview_added(referral, interview, *, by_employer: bool) -> None:
    """Another interview of a referral at 面试: the other side's inbox and the laborer's SMS."""
    values = {**_values(referral), **interview_values(interview)}
    title = render("interview_title", **values)
    body = values["interview"] + (f"；{interview.note}" if interview.note else "")
    if by_employer:
        notify_users(
            _staff(referral, None),
            title=title,
            body=body,
            link=reverse("referrals:detail", args=[referral.pk]),
        )
    else:
        notify_users(_staff(referral, interview.created_by), title=title, body=body,
                     link=reverse("referrals:detail", args=[referral.pk]))  # fmt: skip
        notify_users(
            _employer_accounts(referral.job),
            title=title,
            body=body,
            link=reverse("referrals:portal_detail", args=[referral.pk]),
        )
    text = render("step_laborer_sms", "面试", **values)
    send_sms(referral.person.phone, text, area=referral.area, ref=f"interview:{interview.pk}")
