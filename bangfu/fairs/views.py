"""Job-fair pages: list, create and edit, detail with participants and outcomes, invitations by matching,
attendance, referring at the fair, and online interviews."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bangfu.core.access import staff_required
from bangfu.core.views import paginate
from bangfu.fairs import actions
from bangfu.fairs.forms import FairForm, FairInterviewForm, InviteForm
from bangfu.fairs.models import FairKind, FairStatus, Invitation, JobFair
from bangfu.referrals.actions import create_referral
from bangfu.referrals.models import Status


def _errors(exc) -> str:
    return "；".join(getattr(exc, "messages", [str(exc)]))


@staff_required
def fair_list(request):
    fairs = (
        JobFair.objects.for_user(request.user)
        .select_related("area")
        .annotate(n_jobs=Count("jobs", distinct=True), n_invited=Count("invitations", distinct=True))
    )
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind in FairKind.values:
        fairs = fairs.filter(kind=kind)
    if status in FairStatus.values:
        fairs = fairs.filter(status=status)
    context = paginate(request, fairs.order_by("-starts_at", "-id"))
    context.update(
        {
            "kinds": FairKind.choices,
            "statuses": FairStatus.choices,
            "kind": kind,
            "status": status,
            "nav": "fairs",
        }
    )
    return render(request, "fairs/fair_list.html", context)


def _scoped_fair(request, pk: int) -> JobFair:
    return get_object_or_404(
        JobFair.objects.for_user(request.user).select_related("area", "created_by"), pk=pk
    )


def _save(request, form, fair):
    fair = form.save(commit=False)
    fair.area = form.cleaned_data["area_code"]
    try:
        return actions.save_fair(request.user, fair, jobs=form.cleaned_data["jobs"])
    except (ValidationError, PermissionDenied) as exc:
        form.add_error(None, _errors(exc))
        return None


@staff_required
def fair_create(request):
    form = FairForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fair = _save(request, form, None)
        if fair is not None:
            messages.success(request, f"已创建招聘会“{fair.title}”。")
            return redirect("fairs:detail", pk=fair.pk)
    return render(request, "fairs/fair_form.html", {"form": form, "nav": "fairs"})


@staff_required
def fair_edit(request, pk: int):
    fair = _scoped_fair(request, pk)
    form = FairForm(request.POST or None, instance=fair, user=request.user)
    if request.method == "POST" and form.is_valid() and _save(request, form, fair) is not None:
        messages.success(request, "招聘会已保存。")
        return redirect("fairs:detail", pk=fair.pk)
    return render(request, "fairs/fair_form.html", {"form": form, "fair": fair, "nav": "fairs"})


def _outcomes(fair: JobFair) -> dict:
    invitations = fair.invitations.aggregate(
        invited=Count("id"), attended=Count("id", filter=Q(attended=True))
    )
    referrals = fair.referrals.aggregate(
        referred=Count("id"), hired=Count("id", filter=Q(status=Status.HIRED))
    )
    return {**invitations, **referrals, "interviews": fair.interviews.count()}


@staff_required
def fair_detail(request, pk: int):
    fair = _scoped_fair(request, pk)
    jobs = fair.jobs.select_related("employer", "area").order_by("employer__name", "title")
    return render(
        request,
        "fairs/fair_detail.html",
        {
            "fair": fair,
            "jobs": jobs,
            "employers": fair.employers.order_by("name"),
            "outcomes": _outcomes(fair),
            "invite_form": InviteForm(),
            "referrals": fair.referrals.select_related("person", "job", "job__employer")[:100],
            "nav": "fairs",
        },
    )


@staff_required
@require_POST
def fair_invite(request, pk: int):
    fair = _scoped_fair(request, pk)
    form = InviteForm(request.POST)
    per_job = form.cleaned_data["per_job"] if form.is_valid() else actions.INVITE_PER_JOB
    try:
        count = actions.invite_by_matching(request.user, fair, per_job=per_job)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"已按匹配结果邀请 {count} 名劳动力，并发送短信通知。")
    return redirect("fairs:attendance", pk=fair.pk)


@staff_required
def fair_attendance(request, pk: int):
    fair = _scoped_fair(request, pk)
    if request.method == "POST" and "attendance" in request.POST:
        total = actions.mark_attendance(
            request.user, fair, [i for i in request.POST.getlist("attended") if i.isdigit()]
        )
        messages.success(request, f"签到已保存，共到场 {total} 人。")
        return redirect("fairs:attendance", pk=fair.pk)
    invitations = fair.invitations.select_related("person", "person__area", "job", "job__employer").order_by(
        "-score", "id"
    )
    referred = set(fair.referrals.values_list("person_id", "job_id"))
    context = paginate(request, invitations, per_page=100)
    context.update({"fair": fair, "referred": referred, "nav": "fairs"})
    return render(request, "fairs/fair_attendance.html", context)


@staff_required
@require_POST
def fair_refer(request, pk: int):
    """Refers an invited laborer to a fair job on the spot (the referral counts as the fair's outcome)."""
    fair = _scoped_fair(request, pk)
    invitation = Invitation.objects.filter(fair=fair, pk=request.POST.get("invitation") or 0).first()
    job = fair.jobs.filter(pk=request.POST.get("job") or 0).select_related("employer", "area").first()
    if invitation is None or job is None:
        messages.error(request, "请选择本场招聘会的邀请人员和岗位。")
        return redirect("fairs:attendance", pk=fair.pk)
    try:
        create_referral(
            request.user,
            invitation.person,
            job,
            score=invitation.score,
            reasons=invitation.reasons,
            fair=fair,
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"已在招聘会上推荐 {invitation.person.name} 到“{job.title}”。")
    return redirect("fairs:attendance", pk=fair.pk)


@staff_required
def fair_interviews(request, pk: int):
    fair = _scoped_fair(request, pk)
    form = FairInterviewForm(request.POST or None, fair=fair)
    if request.method == "POST" and form.is_valid():
        invitation, job = form.cleaned_data["invitation"], form.cleaned_data["job"]
        referral = fair.referrals.filter(person=invitation.person, job=job).order_by("-id").first()
        try:
            interview = actions.schedule_interview(
                request.user,
                person=invitation.person,
                job=job,
                referral=referral,
                fair=fair,
                scheduled_at=form.cleaned_data["scheduled_at"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, f"已安排线上面试：{interview.meeting_url}")
            return redirect("fairs:interviews", pk=fair.pk)
    interviews = fair.interviews.select_related("person", "job", "job__employer")
    return render(
        request,
        "fairs/fair_interviews.html",
        {"fair": fair, "form": form, "interviews": interviews, "nav": "fairs"},
    )
