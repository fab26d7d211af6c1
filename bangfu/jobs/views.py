"""Job pages. Staff manage the jobs whose work area is in their subtree (`for_user`) and browse open
postings everywhere (`postings_for`); jobs files are imported here too. The enterprise portal's job pages
are in employers/views.py and use the same forms and actions."""

import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.models import Kind
from bangfu.audit.batches import report_response
from bangfu.core.access import is_area_staff, staff_required
from bangfu.core.problems import batch_errors
from bangfu.core.views import paginate
from bangfu.employers.models import Employer
from bangfu.jobs import actions
from bangfu.jobs.filters import JobFilter
from bangfu.jobs.forms import JobForm, JobImportForm
from bangfu.jobs.models import Job, JobImport, Occupation
from bangfu.jobs.occupations import default_index
from bangfu.jobs.tasks import run_job_import_task
from bangfu.registry.views import _styled

INLINE_IMPORT_LIMIT = 2 * 1024 * 1024
logger = logging.getLogger(__name__)
PLACEHOLDERS = {
    "q": "岗位名称、单位名称或岗位编号",
    "area": "如 433124",
    "occupation": "如 6-05 或 6-05-01-03",
}


def _list(request, jobs, *, template_context):
    jobs = jobs.select_related("employer", "area", "occupation")
    filterset = _styled(JobFilter(request.GET, queryset=jobs), PLACEHOLDERS)
    context = paginate(request, filterset.qs.order_by("-created_at", "-id"))
    context.update({"filter": filterset, "today": timezone.localdate(), "nav": "jobs", **template_context})
    return render(request, "jobs/job_list.html", context)


@staff_required
def job_list(request):
    """The jobs whose work area is in the user's subtree, in every state."""
    return _list(request, Job.objects.for_user(request.user), template_context={"tab": "own"})


@staff_required
def postings(request):
    """Open postings anywhere: a Hunan county refers its laborers to Guangdong jobs."""
    jobs = Job.objects.postings_for(request.user).open_on(timezone.localdate())
    return _list(request, jobs, template_context={"tab": "postings"})


def _visible(request):
    """Jobs a staff member may open: their own subtree's, and open postings everywhere."""
    return Job.objects.for_user(request.user) | Job.objects.postings_for(request.user)


def _managed(request, pk: int) -> Job:
    return get_object_or_404(Job.objects.for_user(request.user).select_related("employer", "area"), pk=pk)


@staff_required
def job_detail(request, pk: int):
    job = get_object_or_404(_visible(request).select_related("employer", "area", "occupation"), pk=pk)
    own = Job.objects.for_user(request.user).filter(pk=pk).exists()
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "own": own,
            "employer_visible": Employer.objects.for_user(request.user).filter(pk=job.employer_id).exists(),
            "reasons": actions.suitability_reasons(job),
            "today": timezone.localdate(),
            "nav": "jobs",
        },
    )


def save_from_form(request, form):
    """Save through the action; the action's refusals become form errors. Returns the job or None."""
    job, manual, infer = form.apply()
    try:
        return actions.save_job(request.user, job, manual_suitability=manual, infer=infer)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    return None


@staff_required
def job_create(request):
    employers = Employer.objects.for_user(request.user).filter(is_active=True).order_by("name")
    initial = {"area_code": request.user.area.short_code}
    if request.GET.get("employer"):
        initial["employer"] = request.GET["employer"]
    form = JobForm(request.POST or None, employers=employers, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = save_from_form(request, form)
        if job is not None:
            messages.success(request, f"已发布岗位“{job.title}”。")
            return redirect("jobs:detail", pk=job.pk)
    return render(request, "jobs/job_form.html", {"form": form, "creating": True, "nav": "jobs"})


@staff_required
def job_edit(request, pk: int):
    job = _managed(request, pk)
    employers = Employer.objects.filter(pk=job.employer_id)
    form = JobForm(request.POST or None, instance=job, employers=employers)
    if request.method == "POST" and form.is_valid():
        saved = save_from_form(request, form)
        if saved is not None:
            messages.success(request, "岗位已保存。")
            return redirect("jobs:detail", pk=saved.pk)
    return render(request, "jobs/job_form.html", {"form": form, "job": job, "nav": "jobs"})


@staff_required
@require_POST
def job_status(request, pk: int):
    """Close a job (招聘结束) or open it again."""
    job = _managed(request, pk)
    status = Job.Status.OPEN if request.POST.get("status") == Job.Status.OPEN else Job.Status.CLOSED
    actions.set_job_status(request.user, job, status)
    messages.success(request, "已结束招聘。" if status == Job.Status.CLOSED else "已重新开放招聘。")
    return redirect("jobs:detail", pk=job.pk)


@staff_required
def occupations(request):
    """The classification: search by name or code, and the codes a title would be inferred as."""
    q = request.GET.get("q", "").strip()
    rows = []
    guess = None
    if q:
        rows = Occupation.objects.filter(name__contains=q) | Occupation.objects.filter(code__startswith=q)
        rows = rows.order_by("code")[:100]
        guess = default_index().infer(q)
    else:
        rows = Occupation.objects.filter(level=1).order_by("code")
    template = "jobs/_occupations.html" if request.headers.get("HX-Request") else "jobs/occupations.html"
    return render(
        request, template, {"q": q, "rows": rows, "guess": guess, "nav": "jobs", "tab": "occupations"}
    )


def job_writer_required(view):
    """login_required, then a 403 in Chinese unless the account may write jobs: area staff, or an active
    enterprise account (the portal)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (is_area_staff(user) or (user.is_active and user.kind == Kind.ENTERPRISE)):
            raise PermissionDenied("只有工作人员和用人单位账号可以发布岗位。")
        return view(request, *args, **kwargs)

    return wrapper


@job_writer_required
def occupation_suggest(request):
    """htmx, from the job form: the occupation a title would be coded as, and similar ones to pick from.
    Reference data only (the classification), so staff and enterprise accounts alike may ask."""
    title = request.GET.get("title", "").strip()[:100]
    index = default_index()
    guess = index.infer(title) if title else None
    similar = []
    if title:
        similar = [s for s in index.similar(title, top=5) if guess is None or s.code != guess.code][:4]
    return render(
        request, "jobs/_occupation_suggest.html", {"title": title, "guess": guess, "similar": similar}
    )


@staff_required
def import_list(request):
    batches = JobImport.objects.for_user(request.user).select_related("area", "user")
    actions.reap_job_imports(batches)
    context = paginate(request, batches.order_by("-created_at", "-id"), per_page=30)
    context.update({"nav": "jobs", "tab": "imports"})
    return render(request, "jobs/import_list.html", context)


@staff_required
def import_new(request):
    form = JobImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = actions.create_job_import(area=request.user.area, user=request.user, upload=upload)
        _start_import(batch, upload.size)
        return redirect("jobs:import_detail", pk=batch.pk)
    return render(
        request,
        "jobs/import_form.html",
        {"form": form, "nav": "jobs", "tab": "imports"},
    )


def _start_import(batch: JobImport, size: int) -> None:
    """Small files are imported while the user waits; larger ones by the background worker."""
    if size >= INLINE_IMPORT_LIMIT:
        run_job_import_task.enqueue(batch.pk)
        return
    try:
        actions.run_job_import(batch)
    except DatabaseError:
        logger.exception("jobs import %s failed", batch.pk)


@staff_required
@require_POST
def import_resume(request, pk: int):
    """Submit an interrupted or failed jobs import again."""
    batch = _scoped_batch(request, pk)
    try:
        batch = actions.resume_job_import(request.user, batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("jobs:import_detail", pk=batch.pk)
    _start_import(batch, batch.file.size)
    return redirect("jobs:import_detail", pk=batch.pk)


def _scoped_batch(request, pk: int) -> JobImport:
    return get_object_or_404(JobImport.objects.for_user(request.user).select_related("area", "user"), pk=pk)


@staff_required
def import_detail(request, pk: int):
    batch = _scoped_batch(request, pk)
    if actions.reap_job_imports(JobImport.objects.filter(pk=batch.pk)):
        batch.refresh_from_db()
    context = {"batch": batch, "nav": "jobs", "tab": "imports", "report_url": "jobs:import_report"}
    context.update(batch_errors(request, batch, personal=False))
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_import_progress.html", context)
    return render(request, "jobs/import_detail.html", context)


@staff_required
def import_report(request, pk: int):
    """The rejected rows as uploaded (no personal data: employers and jobs only); downloads are audited."""
    return report_response(request, _scoped_batch(request, pk), what="岗位", personal=False)
