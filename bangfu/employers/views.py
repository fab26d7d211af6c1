"""Employers ledger pages (staff, area-scoped), labor cooperation, and the small enterprise portal.

The portal serves enterprise-kind accounts only: their employers and their own jobs
(`Job.objects.for_employer_account`); anything else is a 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bangfu.accounts.models import Kind, User
from bangfu.core.access import staff_required
from bangfu.core.idnumber import mask_id, mask_name
from bangfu.core.views import paginate
from bangfu.employers import actions
from bangfu.employers.filters import EmployerFilter
from bangfu.employers.forms import CooperationForm, EmployerForm, EnterpriseAccountForm, LinkAccountForm
from bangfu.employers.models import Cooperation, Employer
from bangfu.employment.models import EmploymentRecord
from bangfu.jobs import actions as job_actions
from bangfu.jobs.filters import JobFilter
from bangfu.jobs.forms import JobForm
from bangfu.jobs.models import Job
from bangfu.jobs.views import save_from_form
from bangfu.referrals.models import Referral, Status
from bangfu.registry.views import _styled

NO_SUCH_ENTERPRISE_ACCOUNT = "您的辖区内没有登录名为此的企业账号（须为“用人单位”类型，登录名须完全一致）。"


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --------------------------------------------------------------------------------------------------
# Employers


def _scoped(request, pk: int) -> Employer:
    return get_object_or_404(Employer.objects.for_user(request.user).select_related("area"), pk=pk)


@staff_required
def employer_list(request):
    employers = Employer.objects.for_user(request.user).select_related("area")
    filterset = _styled(
        EmployerFilter(request.GET, queryset=employers),
        {"q": "单位名称或统一社会信用代码", "area": "如 433124"},
    )
    qs = filterset.qs.annotate(
        open_jobs=Count("jobs", filter=Q(jobs__status=Job.Status.OPEN), distinct=True),
        staff_count=Count("employments", filter=Q(employments__ended_on__isnull=True), distinct=True),
    )
    context = paginate(request, qs.order_by("area_id", "name", "id"))
    context.update({"filter": filterset, "nav": "employers", "tab": "employers"})
    return render(request, "employers/employer_list.html", context)


@staff_required
def employer_detail(request, pk: int):
    employer = _scoped(request, pk)
    jobs = employer.jobs.select_related("area", "occupation").order_by("-created_at", "-id")
    records = (
        EmploymentRecord.objects.filter(employer=employer)
        .select_related("person", "job", "work_area")
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-id")[:200]
    )
    own_people = set(
        EmploymentRecord.objects.for_user(request.user).filter(employer=employer).values_list("pk", flat=True)
    )
    rows = [
        {
            "record": r,
            "own": r.pk in own_people,
            "name": r.person.name if r.pk in own_people else mask_name(r.person.name),
            "id_number": mask_id(r.person.id_number),
        }
        for r in records
    ]
    return render(
        request,
        "employers/employer_detail.html",
        {
            "employer": employer,
            "jobs": jobs[:100],
            "job_count": jobs.count(),
            "rows": rows,
            "accounts": employer.accounts.order_by("username"),
            "today": timezone.localdate(),
            "nav": "employers",
        },
    )


@staff_required
def employer_create(request):
    form = EmployerForm(request.POST or None, initial={"area_code": request.user.area.short_code})
    if request.method == "POST" and form.is_valid():
        try:
            employer = actions.save_employer(request.user, form.apply())
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已登记 {employer.name}。")
            return redirect("employers:detail", pk=employer.pk)
    return render(
        request, "employers/employer_form.html", {"form": form, "creating": True, "nav": "employers"}
    )


@staff_required
def employer_edit(request, pk: int):
    employer = _scoped(request, pk)
    form = EmployerForm(request.POST or None, instance=employer, show_phone=request.user.can_view_sensitive)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_employer(request.user, form.apply())
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "单位信息已保存。")
            return redirect("employers:detail", pk=employer.pk)
    return render(
        request, "employers/employer_form.html", {"form": form, "employer": employer, "nav": "employers"}
    )


@staff_required
def account_create(request, pk: int):
    """Open an enterprise account for this employer, or link an existing one."""
    employer = _scoped(request, pk)
    create_form = EnterpriseAccountForm(request.POST if request.POST.get("mode") == "create" else None)
    link_form = LinkAccountForm(request.POST if request.POST.get("mode") == "link" else None)
    if request.method == "POST":
        form = create_form if request.POST.get("mode") == "create" else link_form
        if form.is_valid():
            try:
                if form is create_form:
                    user = actions.create_enterprise_account(request.user, employer, **form.cleaned_data)
                else:
                    # Only enterprise accounts of one's own subtree are found, and every miss reads the
                    # same: the form cannot tell which usernames exist elsewhere or belong to staff.
                    user = (
                        User.objects.for_user(request.user)
                        .filter(username=form.cleaned_data["username"], kind=Kind.ENTERPRISE)
                        .first()
                    )
                    if user is None:
                        raise ValidationError({"username": NO_SUCH_ENTERPRISE_ACCOUNT})
                    actions.link_account(request.user, employer, user)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"企业账号 {user.username} 已可代表 {employer.name} 使用企业门户。")
                return redirect("employers:detail", pk=employer.pk)
    return render(
        request,
        "employers/account_form.html",
        {"employer": employer, "create_form": create_form, "link_form": link_form, "nav": "employers"},
    )


@staff_required
@require_POST
def account_unlink(request, pk: int, user_pk: int):
    employer = _scoped(request, pk)
    user = get_object_or_404(employer.accounts.all(), pk=user_pk)
    actions.unlink_account(request.user, employer, user)
    messages.success(request, f"已解除企业账号 {user.username}。")
    return redirect("employers:detail", pk=employer.pk)


# --------------------------------------------------------------------------------------------------
# Labor cooperation (劳务协作)


def _cooperations(user):
    """Cooperations whose sending area is in the user's subtree (they manage them) or whose receiving
    area is (they take part)."""
    low, high = user.area.code_range
    receiving = Cooperation.objects.filter(receiving_area__gte=low, receiving_area__lte=high)
    return Cooperation.objects.for_user(user) | receiving


@staff_required
def cooperation_list(request):
    today = timezone.localdate()
    qs = _cooperations(request.user).select_related("sending_area", "receiving_area")
    context = paginate(request, qs.order_by("sending_area_id", "receiving_area_id"))
    managed = set(Cooperation.objects.for_user(request.user).values_list("pk", flat=True))
    context.update({"today": today, "managed": managed, "nav": "employers", "tab": "cooperation"})
    return render(request, "employers/cooperation_list.html", context)


@staff_required
def cooperation_create(request):
    form = CooperationForm(request.POST or None, initial={"sending_code": request.user.area.short_code})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.create_cooperation(
                request.user,
                sending_area=data["sending_code"],
                receiving_area=data["receiving_code"],
                started_on=data["started_on"],
                note=data["note"],
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
            if "receiving_area" in exc.message_dict:
                form.add_error("receiving_code", exc.message_dict["receiving_area"])
        else:
            messages.success(request, "已建立劳务协作关系。")
            return redirect("employers:cooperation_list")
    return render(
        request, "employers/cooperation_form.html", {"form": form, "nav": "employers", "tab": "cooperation"}
    )


@staff_required
@require_POST
def cooperation_end(request, pk: int):
    cooperation = get_object_or_404(Cooperation.objects.for_user(request.user), pk=pk)
    actions.end_cooperation(request.user, cooperation, timezone.localdate())
    messages.success(request, f"已结束劳务协作：{cooperation}。")
    return redirect("employers:cooperation_list")


# --------------------------------------------------------------------------------------------------
# Enterprise portal


def enterprise_required(view):
    """login_required, then a 403 in Chinese unless the account is an active enterprise account."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.kind == Kind.ENTERPRISE):
            raise PermissionDenied("企业门户只供用人单位账号使用。")
        return view(request, *args, **kwargs)

    return wrapper


# Referral steps at which the employer has not answered yet (推荐, 已通知): the portal's "to answer".
AWAITING_ANSWER = (Status.REFERRED, Status.NOTIFIED)


@enterprise_required
def portal(request):
    employers = request.user.employers.select_related("area").order_by("name")
    jobs = Job.objects.for_employer_account(request.user).select_related("employer", "area", "occupation")
    filterset = _styled(JobFilter(request.GET, queryset=jobs), {"q": "岗位名称或编号"})
    qs = filterset.qs.annotate(
        n_referrals=Count("referrals", distinct=True),
        n_awaiting=Count("referrals", filter=Q(referrals__status__in=AWAITING_ANSWER), distinct=True),
    )
    context = paginate(request, qs.order_by("-created_at", "-id"))
    referrals = Referral.objects.for_employer_account(request.user)
    context.update(
        {
            "employers": employers,
            "filter": filterset,
            "today": timezone.localdate(),
            "awaiting": referrals.filter(status__in=AWAITING_ANSWER).count(),
            "open_referrals": referrals.open().count(),
            "nav": "enterprise",
        }
    )
    return render(request, "employers/portal.html", context)


@enterprise_required
def portal_job_create(request):
    employers = request.user.employers.filter(is_active=True).order_by("name")
    first = employers.first()
    initial = {"employer": first, "area_code": first.area.short_code} if first else {}
    form = JobForm(request.POST or None, employers=employers, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = save_from_form(request, form)
        if job is not None:
            messages.success(request, f"已发布岗位“{job.title}”（{_coded(job)}）。")
            return redirect("employers:portal")
    return render(
        request,
        "jobs/job_form.html",
        {
            "form": form,
            "creating": True,
            "no_employer": first is None,
            "cancel_url": reverse("employers:portal"),
            "nav": "enterprise",
        },
    )


def _coded(job: Job) -> str:
    if job.occupation_id is None:
        return "未能推断职业代码，请修改岗位补填"
    how = "按岗位名称推断" if job.occupation_inferred else "职业代码"
    return f"{how}：{job.occupation_id} {job.occupation.name}"


def _own_job(request, pk: int) -> Job:
    return get_object_or_404(
        Job.objects.for_employer_account(request.user).select_related("employer", "area", "occupation"), pk=pk
    )


@enterprise_required
def portal_job_edit(request, pk: int):
    job = _own_job(request, pk)
    form = JobForm(request.POST or None, instance=job, employers=Employer.objects.filter(pk=job.employer_id))
    if request.method == "POST" and form.is_valid() and save_from_form(request, form) is not None:
        messages.success(request, "岗位已保存。")
        return redirect("employers:portal_job_edit", pk=job.pk)
    referrals = (
        Referral.objects.for_employer_account(request.user)
        .filter(job=job)
        .select_related("person")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "employers/portal_job.html",
        {
            "form": form,
            "job": job,
            "referrals": referrals[:200],
            "cancel_url": reverse("employers:portal"),
            "today": timezone.localdate(),
            "nav": "enterprise",
        },
    )


@enterprise_required
@require_POST
def portal_job_status(request, pk: int):
    job = _own_job(request, pk)
    status = Job.Status.OPEN if request.POST.get("status") == Job.Status.OPEN else Job.Status.CLOSED
    job_actions.set_job_status(request.user, job, status)
    done = "已结束招聘" if status == Job.Status.CLOSED else "已重新开放招聘"
    messages.success(request, f"{done}：“{job.title}”。")
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("employers:portal")
