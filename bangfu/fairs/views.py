"""Job-fair pages: list, create and edit, detail with participants and outcomes, invitations by matching,
attendance, referring at the fair, and online interviews."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.access import staff_required
from bangfu.core.params import as_ids
from bangfu.core.views import paginate
from bangfu.fairs import actions
from bangfu.fairs.forms import FairForm, InviteForm
from bangfu.fairs.models import FairKind, FairStatus, Invitation, JobFair
from bangfu.fairs.outcome_forms import FairInterviewForm, OutcomeForm
from bangfu.fairs.outcomes import outcomes
from bangfu.jobs.filters import JobFilter
from bangfu.jobs.models import Job


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


SEARCH_LIMIT = 30


@staff_required
def job_search(request):
    """htmx, from the fair form: open postings (those the user may refer to) whose title, employer or number
    matches, the user's own area first; the jobs already ticked (`jobs`) are left out."""
    q = request.GET.get("q", "").strip()
    if not q:
        return HttpResponse("")
    low, high = request.user.area.code_range
    chosen = as_ids(request.GET.getlist("jobs"))
    jobs = (
        JobFilter({"q": q}, queryset=Job.objects.postings_for(request.user).open_on(timezone.localdate()))
        .qs.exclude(pk__in=chosen)
        .select_related("employer", "area")
        .annotate(
            far=Case(
                When(area__gte=low, area__lte=high, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("far", "employer__name", "title", "pk")
    )
    total = jobs.count()
    return render(
        request,
        "fairs/_job_search_results.html",
        {"jobs": jobs[:SEARCH_LIMIT], "total": total, "limit": SEARCH_LIMIT, "q": q},
    )


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
            "outcomes": outcomes(fair),
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
    """Who was invited, who came, and each one's outcome at the fair (their referrals of the fair)."""
    fair = _scoped_fair(request, pk)
    if request.method == "POST" and "attendance" in request.POST:
        try:
            total = actions.mark_attendance(request.user, fair, as_ids(request.POST.getlist("attended")))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, f"签到已保存，共到场 {total} 人。")
        return redirect("fairs:attendance", pk=fair.pk)
    invitations = fair.invitations.select_related("person", "person__area", "job", "job__employer").order_by(
        "-score", "id"
    )
    context = paginate(request, invitations, per_page=100)
    people = [i.person_id for i in context["object_list"]]
    results: dict[int, list] = {}
    for referral in fair.referrals.filter(person_id__in=people).select_related("job").order_by("id"):
        results.setdefault(referral.person_id, []).append(referral)
    for invitation in context["object_list"]:
        invitation.results = results.get(invitation.person_id, [])
    context.update(
        {
            "fair": fair,
            "fair_jobs": list(fair.jobs.select_related("employer").order_by("employer__name", "title")),
            "outcomes": list(actions.OUTCOMES),
            "attended_on_page": sum(i.attended for i in context["object_list"]),
            "nav": "fairs",
        }
    )
    return render(request, "fairs/fair_attendance.html", context)


@staff_required
@require_POST
def fair_refer(request, pk: int):
    """An invited laborer's outcome at the fair for one of its jobs: referred on the spot (the default),
    interviewed at the stand, hired (the employment record follows) or not hired."""
    fair = _scoped_fair(request, pk)
    form = OutcomeForm(request.POST)
    invitation = job = None
    if form.is_valid():
        invitation = Invitation.objects.filter(fair=fair, pk=form.cleaned_data["invitation"]).first()
        job = fair.jobs.filter(pk=form.cleaned_data["job"]).select_related("employer", "area").first()
    if invitation is None or job is None:
        messages.error(request, "请选择本场招聘会的邀请人员和岗位。")
        return redirect("fairs:attendance", pk=fair.pk)
    outcome = form.cleaned_data["outcome"] or "推荐"
    try:
        referral = actions.record_outcome(
            request.user, fair, invitation, job, outcome, note=form.cleaned_data["note"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        name = invitation.person.name
        if outcome == "推荐":
            messages.success(request, f"已在招聘会上推荐 {name} 到“{job.title}”。")
        else:
            messages.success(request, f"已登记 {name} 应聘“{job.title}”：{referral.status}。")
    return redirect("fairs:attendance", pk=fair.pk)


@staff_required
def fair_interviews(request, pk: int):
    """The fair's interviews, and a new one (online by default) for an invited laborer and a fair job."""
    fair = _scoped_fair(request, pk)
    form = FairInterviewForm(request.POST or None, fair=fair)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interview = actions.schedule_interview(
                request.user, fair, data["invitation"], data["job"], scheduled_at=data["interview_at"],
                online=bool(data["online"]), venue=data["venue"], note=data["note"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            link = f"，会议链接：{interview.meeting_url}" if interview.online else ""
            messages.success(request, f"已安排面试（{interview.where}）{link}，并已通知劳动力和用人单位。")
            return redirect("fairs:interviews", pk=fair.pk)
    interviews = fair.interviews.select_related("person", "job", "job__employer", "referral")
    return render(
        request,
        "fairs/fair_interviews.html",
        {"fair": fair, "form": form, "interviews": interviews, "nav": "fairs"},
    )
