"""Who hears about a referral and what they read: the laborer by text message, the employer's accounts in
the inbox and its contact by text message, the referring staff member in the inbox. Sent on commit."""

from functools import partial

from django.urls import reverse

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


def referral_step(referral, step) -> None:
    values = _values(referral)
    actor = step.by
    if step.channel == StepChannel.EMPLOYER:
        values["actor"] = referral.job.employer.name
    elif step.channel == StepChannel.SYSTEM or actor is None:
        values["actor"] = "系统"
    else:
        values["actor"] = f"{actor.display_name}（{actor.area.name if actor.area_id else '人社部门'}）"
    values.update(status=step.to_status, note=step.note)
    title, body = render("step_title", **values), render("step_body", **values)
    # Staff hear of the employer's answers; the employer hears of the staff's steps.
    staff = (
        [referral.referred_by] if referral.referred_by_id and step.by_id != referral.referred_by_id else []
    )
    notify_users(staff, title=title, body=body, link=reverse("referrals:detail", kwargs={"pk": referral.pk}))
    if step.channel != StepChannel.EMPLOYER:
        notify_users(
            _employer_accounts(referral.job),
            title=title,
            body=body,
            link=reverse("referrals:portal_detail", kwargs={"pk": referral.pk}),
        )
    text = render("step_laborer_sms", step.to_status, **values)
    if text:
        send_sms(referral.person.phone, text, area=referral.area, ref=f"referral:{referral.pk}")
