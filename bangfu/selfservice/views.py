"""Pages of 劳动者自助服务: signing in by phone and text-message code, and the laborer's own jobs, referrals,
wishes, employment records and policies. Every query starts from the signed-in laborer's person
(`access.laborer_required`), so another laborer's ids are a 404. Light pages for a phone on a slow
connection: no script, one style sheet besides Bootstrap's (see docs/benchmarks.md)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.backends import AccountBackend
from bangfu.accounts.models import Kind
from bangfu.core.idnumber import mask_name, mask_phone
from bangfu.employment.models import EmploymentRecord
from bangfu.jobs.models import Job
from bangfu.matching.service import match_for_person
from bangfu.payouts.models import Line, Result
from bangfu.payouts.models import Status as PayoutStatus
from bangfu.posts.models import Spell
from bangfu.referrals import actions as referral_actions
from bangfu.referrals.models import Referral
from bangfu.selfservice import actions
from bangfu.selfservice.access import laborer_required
from bangfu.selfservice.forms import AnswerForm, CodeForm, PhoneForm, WhoForm, WishesForm
from bangfu.training.models import Enrolment, Need

PHONE_KEY = "selfservice_phone"  # the phone a code was asked for
VERIFIED_KEY = "selfservice_verified"  # a checked code on a shared phone: phone, the people, until when
BACKEND = f"{AccountBackend.__module__}.{AccountBackend.__name__}"


def _errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _signed_in_laborer(request) -> bool:
    return request.user.is_authenticated and request.user.kind == Kind.LABORER


# --- signing in ------------------------------------------------------------------------------------------


def sign_in(request):
    """Step 1: the phone number; a code is sent to it (the same answer whether it is registered or not)."""
    if _signed_in_laborer(request):
        return redirect("selfservice:home")
    form = PhoneForm(request.POST or None, initial={"phone": request.session.get(PHONE_KEY, "")})
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        refusal = actions.send_code(phone)
        request.session[PHONE_KEY] = phone
        request.session.pop(VERIFIED_KEY, None)
        if not refusal:
            return redirect("selfservice:code")
        form.add_error(None, refusal)
    return render(request, "selfservice/sign_in.html", {"form": form})


def _finish(request, person, phone: str):
    try:
        user = actions.account_for(person, phone)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("selfservice:login")
    if not AccountBackend().user_can_authenticate(user):
        messages.error(request, "该账号不能登录，请联系村协理员。")
        return redirect("selfservice:login")
    request.session.pop(PHONE_KEY, None)
    request.session.pop(VERIFIED_KEY, None)
    login(request, user, backend=BACKEND)
    return redirect("selfservice:home")


def code(request):
    """Step 2: the code from the text message."""
    phone = request.session.get(PHONE_KEY)
    if not phone:
        return redirect("selfservice:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        people, refusal = actions.check_code(phone, form.cleaned_data["code"])
        if refusal:
            form.add_error(None, refusal)
        elif not people:
            form.add_error(None, "该手机号未在帮扶名册中登记，请联系村协理员核实您的手机号。")
        elif len(people) == 1:
            return _finish(request, people[0], phone)
        else:
            until = time.time() + settings.BANGFU_SELF_CODE_MINUTES * 60
            request.session[VERIFIED_KEY] = {"phone": phone, "ids": [p.pk for p in people], "until": until}
            return redirect("selfservice:who")
    return render(request, "selfservice/code.html", {"form": form, "masked_phone": mask_phone(phone)})


def who(request):
    """Step 3, on a phone several people share: who one is, proved by the ID number's last four."""
    verified = request.session.get(VERIFIED_KEY)
    if not verified or verified.get("until", 0) < time.time():
        request.session.pop(VERIFIED_KEY, None)
        messages.error(request, "验证已过期，请重新获取验证码。")
        return redirect("selfservice:login")
    phone = verified["phone"]
    people = [p for p in actions.people_with_phone(phone) if p.pk in verified["ids"]]
    choices = [(p.pk, f"{mask_name(p.name)}（{p.relation}，{p.birth_date.year} 年生）") for p in people]
    form = WhoForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        person, refusal = actions.confirm_person(
            phone, form.cleaned_data["person"], form.cleaned_data["id_tail"]
        )
        if person is not None:
            return _finish(request, person, phone)
        form.add_error(None, refusal)
        if "锁定" in refusal:
            request.session.pop(VERIFIED_KEY, None)
    return render(request, "selfservice/who.html", {"form": form})


@require_POST
def sign_out(request):
    logout(request)
    return redirect("selfservice:login")


# --- the laborer's own pages -------------------------------------------------------------------------------


def _open_referrals(person):
    return Referral.objects.filter(person=person).open()


@laborer_required
def home(request, person):
    waiting = _open_referrals(person).filter(laborer_answer="").count()
    return render(
        request,
        "selfservice/home.html",
        {"person": person, "waiting": waiting, "nav": "home"},
    )


@laborer_required
def jobs(request, person):
    """The jobs matched to the laborer, best first, with the reasons."""
    matches = match_for_person(person, top=10)
    found = Job.objects.select_related("employer", "area").in_bulk([m.job_id for m in matches])
    referred = set(_open_referrals(person).values_list("job_id", flat=True))
    rows = [(m, found[m.job_id]) for m in matches if m.job_id in found]
    return render(
        request,
        "selfservice/jobs.html",
        {"person": person, "rows": rows, "referred": referred, "nav": "jobs"},
    )


@laborer_required
def job(request, person, pk: int):
    """An open job, or one the laborer was referred to."""
    visible = Job.objects.open_on(timezone.localdate()) | Job.objects.filter(referrals__person=person)
    job = get_object_or_404(visible.distinct().select_related("employer", "area", "occupation"), pk=pk)
    referral = Referral.objects.filter(person=person, job=job).order_by("-created_at").first()
    return render(request, "selfservice/job.html", {"job": job, "referral": referral, "nav": "jobs"})


@laborer_required
def referrals(request, person):
    rows = Referral.objects.filter(person=person).select_related("job__employer", "job__area")
    return render(request, "selfservice/referrals.html", {"rows": rows[:100], "nav": "referrals"})


@laborer_required
def referral(request, person, pk: int):
    """One referral: its steps and interviews, and the laborer's answer (有意向 / 不考虑)."""
    item = get_object_or_404(
        Referral.objects.filter(person=person).select_related("job__employer", "job__area"), pk=pk
    )
    form = AnswerForm(request.POST or None, initial={"answer": item.laborer_answer or None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral_actions.answer_as_laborer(
                request.user, person, item, data["answer"], reason=data["reason"], note=data["note"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已回复：{data['answer']}。工作人员会看到您的回复。")
            return redirect("selfservice:referral", pk=item.pk)
    steps = item.steps.order_by("at", "id")
    interviews = item.interviews.order_by("scheduled_at")
    return render(
        request,
        "selfservice/referral.html",
        {"item": item, "form": form, "steps": steps, "interviews": interviews, "nav": "referrals"},
    )


@laborer_required
def wishes(request, person):
    """The laborer's wishes: 就业意愿, the work, where, the wage, training. Saved as 本人填报."""
    form = WishesForm(request.POST or None, initial=WishesForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.update_wishes(request.user, person, form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "已保存，工作人员会按您的意愿推荐岗位。" if changed else "没有修改。")
            return redirect("selfservice:wishes")
    return render(request, "selfservice/wishes.html", {"form": form, "person": person, "nav": "wishes"})


@laborer_required
def records(request, person):
    rows = EmploymentRecord.objects.filter(person=person).select_related("work_area", "employer")
    return render(
        request, "selfservice/records.html", {"rows": rows.order_by("-started_on", "-id"), "nav": "records"}
    )


@laborer_required
def record(request, person, pk: int):
    item = get_object_or_404(
        EmploymentRecord.objects.filter(person=person).select_related("work_area", "employer", "job"), pk=pk
    )
    return render(request, "selfservice/record.html", {"item": item, "nav": "records"})


@laborer_required
def policies(request, person):
    """What the laborer received: subsidies paid to them, training, public-welfare posts held."""
    paid = (
        Line.objects.filter(person=person, result=Result.PASSED, payout_list__status=PayoutStatus.PAID)
        .select_related("payout_list")
        .order_by("-payout_list__paid_at", "-id")
    )
    enrolments = Enrolment.objects.filter(person=person).select_related("course__provider")
    needs = Need.objects.filter(person=person, dropped_on=None).select_related("occupation")
    spells = Spell.objects.filter(person=person).select_related("post")
    return render(
        request,
        "selfservice/policies.html",
        {
            "paid": paid[:100],
            "enrolments": enrolments.order_by("-enrolled_on"),
            "needs": needs.order_by("-recorded_on"),
            "spells": spells.order_by("-started_on"),
            "nav": "policies",
        },
    )
