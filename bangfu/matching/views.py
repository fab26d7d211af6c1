"""Matching pages: the best jobs of one laborer (推荐岗位), the best candidates for one job among the
user's laborers, and area runs in the background with their result file."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.access import staff_required
from bangfu.core.views import paginate
from bangfu.jobs.models import Job
from bangfu.matching import actions
from bangfu.matching.models import MatchRun
from bangfu.matching.service import match_for_job, match_for_person
from bangfu.registry.models import Person

PERSON_TOP = 20
JOB_TOP = 50


def _referral_url() -> str | None:
    """Where a 推荐 button posts (the referrals app); None when that app has no such page."""
    try:
        return reverse("referrals:create")
    except NoReverseMatch:
        return None


@staff_required
def person_matches(request, pk: int):
    person = get_object_or_404(Person.objects.for_user(request.user).select_related("area"), pk=pk)
    matches = match_for_person(person, top=PERSON_TOP)
    jobs = Job.objects.filter(pk__in=[m.job_id for m in matches]).select_related(
        "employer", "area", "occupation"
    )
    by_id = {job.pk: job for job in jobs}
    rows = [(m, by_id[m.job_id]) for m in matches if m.job_id in by_id]
    context = {
        "person": person,
        "rows": rows,
        "referral_url": _referral_url(),
        "is_laborer": person.is_laborer,
        "nav": "registry",
    }
    return render(request, "matching/person.html", context)


@staff_required
def job_matches(request, pk: int):
    """A job's best candidates among the laborers of the user's subtree. Any staff user may open an open
    posting (Job.objects.postings_for), as they refer their own laborers to jobs anywhere, and any job of
    their own subtree."""
    jobs = Job.objects.select_related("employer", "area")
    job = jobs.filter(pk__in=Job.objects.postings_for(request.user).values("pk")).filter(pk=pk).first()
    if job is None:
        job = get_object_or_404(jobs.filter(pk__in=Job.objects.for_user(request.user).values("pk")), pk=pk)
    matches = match_for_job(job, top=JOB_TOP, within=request.user.area)
    people = Person.objects.for_user(request.user).filter(pk__in=[m.person_id for m in matches])
    by_id = {p.pk: p for p in people.select_related("area")}
    rows = [(m, by_id[m.person_id]) for m in matches if m.person_id in by_id]
    context = {"job": job, "rows": rows, "referral_url": _referral_url(), "nav": "jobs"}
    return render(request, "matching/job.html", context)


@staff_required
def run_list(request):
    runs = MatchRun.objects.for_user(request.user).select_related("area", "user")
    actions.reap_runs(runs)
    if request.method == "POST":
        if not request.user.can_view_sensitive:
            raise PermissionDenied("结果文件含完整证件号码，只有有敏感信息查看权限的用户可以发起区域匹配。")
        try:
            top = max(1, min(int(request.POST.get("top") or 10), 50))
        except ValueError:
            top = 10
        run = actions.start_run(request.user, request.user.area, top=top)
        messages.success(request, f"已提交{run.area.name}的人岗匹配，完成后可下载结果。")
        return redirect("matching:run_detail", pk=run.pk)
    context = {**paginate(request, runs), "nav": "matching"}
    return render(request, "matching/run_list.html", context)


def _scoped_run(request, pk: int) -> MatchRun:
    return get_object_or_404(MatchRun.objects.for_user(request.user).select_related("area", "user"), pk=pk)


@staff_required
def run_detail(request, pk: int):
    run = _scoped_run(request, pk)
    if actions.reap_runs(MatchRun.objects.filter(pk=run.pk)):
        run.refresh_from_db()
    context = {"run": run, "nav": "matching"}
    if request.headers.get("HX-Request"):
        return render(request, "matching/_run_progress.html", context)
    return render(request, "matching/run_detail.html", context)


@staff_required
def run_file(request, pk: int):
    """The result file holds full ID numbers: for users who may see them; each download is audited."""
    run = _scoped_run(request, pk)
    if not run.file:
        raise Http404("该次匹配没有结果文件。")
    if not request.user.can_view_sensitive:
        raise PermissionDenied("结果文件含完整证件号码，您没有查看完整敏感信息的权限。")
    audit(Action.EXPORT, actor=request.user, obj=run, message=f"下载人岗匹配结果：{Path(run.file.name).name}")
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=Path(run.file.name).name)


@staff_required
@require_POST
def run_again(request, pk: int):
    run = _scoped_run(request, pk)
    if not request.user.can_view_sensitive:
        raise PermissionDenied("结果文件含完整证件号码，只有有敏感信息查看权限的用户可以发起区域匹配。")
    again = actions.start_run(request.user, run.area, top=run.top)
    return redirect("matching:run_detail", pk=again.pk)
