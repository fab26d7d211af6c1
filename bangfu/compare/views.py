"""Data comparison pages: runs (upload, progress, results), findings by type with one-by-one and bulk
decisions, a finding's source row beside the registry, exports. (The 联系不上 list is tracking's.)"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.compare import actions
from bangfu.compare.filters import FindingFilter, filters_shown
from bangfu.compare.forms import RunForm
from bangfu.compare.models import (
    BulkDecision,
    ChangeKind,
    ComparisonRun,
    Finding,
    Kind,
    RunStatus,
    differ,
    identity,
)
from bangfu.compare.run import run_comparison, run_counts
from bangfu.compare.tasks import run_comparison_task
from bangfu.core.access import staff_required
from bangfu.core.idnumber import mask_id, mask_phone
from bangfu.core.params import as_id, as_ids
from bangfu.core.problems import error_page
from bangfu.core.views import paginate
from bangfu.exchange import errors as kept_errors
from bangfu.exports.views import export_response
from bangfu.registry.models import Person
from bangfu.tracking.models import Unreachable

# Uploads up to this size are compared while the user waits; larger ones go to the background worker.
INLINE_LIMIT = 1024 * 1024
logger = logging.getLogger(__name__)
SENSITIVE_KEYS = {
    "证件号码": mask_id,
    "联系电话": mask_phone,
    # Health data: hidden altogether (the registry's person page reveals it, audited, to those allowed).
    **dict.fromkeys(("健康状况", "残疾类别", "残疾等级"), lambda value: "******"),
}


def _masked(values: dict, user) -> dict:
    if user.can_view_sensitive:
        return values
    return {k: (SENSITIVE_KEYS[k](v) if k in SENSITIVE_KEYS and v else v) for k, v in values.items()}


def _styled(form):
    for field in form.fields.values():
        field.widget.attrs.setdefault(
            "class", "form-select" if hasattr(field.widget, "choices") else "form-control"
        )
    return form


# -- runs --------------------------------------------------------------------------------------------


@staff_required
def run_list(request):
    runs = ComparisonRun.objects.for_user(request.user).select_related("area", "user")
    actions.reap_runs(runs)
    context = paginate(request, runs.order_by("-created_at", "-id"), per_page=30)
    context.update({"nav": "compare", "tab": "runs"})
    return render(request, "compare/run_list.html", context)


@staff_required
def run_new(request):
    form = RunForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        run = actions.create_run(
            area=request.user.area,
            user=request.user,
            source_type=data["source_type"],
            upload=upload,
            name=upload.name,
            threshold=data["threshold"],
            auto_apply=data["auto_apply"],
        )
        _start_run(run, upload.size)
        return redirect("compare:run_detail", pk=run.pk)
    return render(request, "compare/run_form.html", {"form": form, "nav": "compare", "tab": "runs"})


def _start_run(run: ComparisonRun, size: int) -> None:
    """Small files are compared while the user waits; larger ones by the background worker."""
    if size >= INLINE_LIMIT:
        run_comparison_task.enqueue(run.pk)
        return
    try:
        run_comparison(run)
    except DatabaseError:  # the run is marked failed with the reason; the page shows it
        logger.exception("comparison %s failed", run.pk)


@staff_required
@require_POST
def run_again(request, pk: int):
    """Compare an interrupted or failed run's kept file again, with the same settings, as a new run."""
    run = _scoped_run(request, pk)
    try:
        again = actions.compare_again(request.user, run)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("compare:run_detail", pk=run.pk)
    _start_run(again, again.file.size)
    return redirect("compare:run_detail", pk=again.pk)


def _scoped_run(request, pk: int) -> ComparisonRun:
    return get_object_or_404(
        ComparisonRun.objects.for_user(request.user).select_related("area", "user"), pk=pk
    )


@staff_required
def run_detail(request, pk: int):
    run = _scoped_run(request, pk)
    if actions.reap_runs(ComparisonRun.objects.filter(pk=run.pk)):
        run.refresh_from_db()
    # Values as the error report has them for those who may download it; masked IDs and phones otherwise.
    reveal = run.user_id == request.user.pk or request.user.can_view_sensitive
    context = {"run": run, "nav": "compare", "tab": "runs", "kinds": Kind, "changes": ChangeKind}
    context |= {
        "batch": run,
        "report_url": "compare:run_report",
        **error_page(request, run.errors, reveal=reveal, cap=kept_errors.ERROR_LIST_CAP),
    }
    if run.finished:
        counts = run_counts(run) if run.status == "done" else {"kind": {}, "change": {}}
        context["kind_rows"] = [(k, counts["kind"].get(k.value, 0)) for k in Kind]
        context["change_rows"] = [(c, counts["change"].get(c.value, 0)) for c in ChangeKind]
        context["fill_people"] = sum(counts.get("fill_people", {}).values())
        context["open_count"] = counts.get("open", 0)
        context["accepted_count"] = counts.get("accepted", 0)
        context["rejected_count"] = counts.get("rejected", 0)
        # Rows matched exactly that propose nothing are counted, not listed: their lines are in results.csv.
        context["exact_unlisted"] = run.matched_exact
        context["may_download"] = run.user_id == request.user.pk or request.user.can_view_sensitive
    if request.headers.get("HX-Request"):
        return render(request, "compare/_run_progress.html", context)
    return render(request, "compare/run_detail.html", context)


def _may_download(request, run) -> None:
    if run.user_id != request.user.pk and not request.user.can_view_sensitive:
        raise PermissionDenied("该文件含完整证件号码，只有比对人和有敏感信息查看权限的用户可以下载。")


@staff_required
def run_results(request, pk: int):
    """results.csv (EXCHANGE.md §4): full ID numbers, so for the run's user and those who may see them."""
    run = _scoped_run(request, pk)
    if not run.results:
        raise Http404("该批次没有比对结果。")
    _may_download(request, run)
    audit(
        Action.EXPORT, actor=request.user, obj=run, message=f"下载比对结果 results.csv：{run.original_name}"
    )
    return FileResponse(run.results.open("rb"), as_attachment=True, filename="results.csv")


@staff_required
def run_report(request, pk: int):
    run = _scoped_run(request, pk)
    if not run.report:
        raise Http404("该批次没有错误报告。")
    _may_download(request, run)
    audit(Action.EXPORT, actor=request.user, obj=run, message=f"下载比对错误报告：{run.original_name}")
    return FileResponse(run.report.open("rb"), as_attachment=True, filename=run.report_filename)


# -- findings ----------------------------------------------------------------------------------------


def _findings(request, data=None):
    queryset = Finding.objects.for_user(request.user).select_related("run", "area", "person", "decided_by")
    return FindingFilter(data if data is not None else request.GET, queryset=queryset)


@staff_required
def finding_list(request):
    filterset = _findings(request)
    _styled(filterset.form)
    context = paginate(request, filterset.qs.order_by(*Finding._meta.ordering))
    run = None
    if run_id := request.GET.get("run"):
        run = ComparisonRun.objects.for_user(request.user).filter(pk=as_id(run_id) or 0).first()
    context.update(
        {
            "filter": filterset,
            "run": run,
            "bulks": BulkDecision.objects.for_user(request.user)
            .filter(status__in=(RunStatus.PENDING, RunStatus.RUNNING))
            .select_related("user")[:5],
            "query": context["querystring_base"].rstrip("&"),
            "nav": "compare",
            "tab": "findings",
        }
    )
    return render(request, "compare/finding_list.html", context)


@staff_required
@require_POST
def finding_bulk(request):
    """Accept or reject the selected findings, or every open finding the current filters match."""
    decision, _, scope = request.POST.get("do", "").partition(":")
    accepting = decision == "accept"
    if scope == "all":
        filterset = _findings(request, request.POST)
        queryset = filterset.qs if filterset.is_valid() else Finding.objects.none()
    else:
        ids = as_ids(request.POST.getlist("ids"))
        queryset = Finding.objects.for_user(request.user).filter(pk__in=ids)
    note = request.POST.get("note", "")
    if scope == "all" and actions.bulk_work(queryset) > actions.BULK_IN_REQUEST:
        bulk = actions.queue_bulk_decision(
            request.user,
            queryset,
            accepting=accepting,
            note=note,
            filters={name: request.POST.get(name, "") for name in FindingFilter.base_filters},
        )
        messages.info(request, f"共 {bulk.total} 条待处理结果，已交给后台逐条{bulk.verb}，本页显示进度。")
        return redirect("compare:bulk_detail", pk=bulk.pk)
    count = actions.decide_many(request.user, queryset, accepting=accepting, note=note)
    if count:
        messages.success(request, f"已{'接受' if accepting else '驳回'} {count} 条比对结果。")
    else:
        messages.warning(request, "没有可处理的比对结果（只有“待处理”的结果可以接受或驳回）。")
    back = request.POST.get("next", "")
    return redirect(f"{reverse('compare:finding_list')}?{back}" if back else reverse("compare:finding_list"))


@staff_required
def bulk_detail(request, pk: int):
    """A bulk decision's progress (htmx polls it while it runs) and outcome."""
    bulks = BulkDecision.objects.for_user(request.user).select_related("user", "area")
    bulk = get_object_or_404(bulks, pk=pk)
    if actions.reap_bulk_decisions(BulkDecision.objects.filter(pk=bulk.pk)):
        bulk.refresh_from_db()
    context = {
        "bulk": bulk,
        "filters_shown": filters_shown(bulk.filters),
        "nav": "compare",
        "tab": "findings",
    }
    if request.headers.get("HX-Request"):
        return render(request, "compare/_bulk_progress.html", context)
    return render(request, "compare/bulk_detail.html", context)


def _scoped_finding(request, pk: int) -> Finding:
    return get_object_or_404(
        Finding.objects.for_user(request.user).select_related("run", "area", "person", "decided_by"), pk=pk
    )


@staff_required
def finding_detail(request, pk: int):
    finding = _scoped_finding(request, pk)
    if finding.is_fill:
        return _fill_detail(request, finding)
    rows = finding.source_rows()
    # The registry side: the person, or each candidate of an ambiguous row (in the user's area).
    if finding.kind == Kind.AMBIGUOUS:
        shares = {c["person"]: c["probability"] for c in finding.candidates}
        found = Person.objects.for_user(request.user).filter(pk__in=list(shares)).in_bulk()
        people = [found[pk] for pk in shares if pk in found]
        sides = [identity(p) for p in people]
        registry_headers = [(f"候选人 {n}（概率 {shares[p.pk]:.3f}）", p) for n, p in enumerate(people, 1)]
    else:
        sides = [finding.registry_shown]
        registry_headers = [("名册", None)]
    stored = set(finding.differs)
    sensitive = request.user.can_view_sensitive and (any(rows) or any(sides))
    # Side by side: the columns both sides have first, then each side's own. A registry value that differs
    # from the row's (or that the finding proposes to change) is highlighted.
    columns = []
    for key in [*(k for side in sides for k in side), *(k for r in rows for k in r)]:
        if key not in columns:
            columns.append(key)

    def highlighted(key: str, side: dict) -> bool:
        return key in side and (key in stored or any(differ(key, r.get(key), side[key]) for r in rows))

    flags = {key: [highlighted(key, side) for side in sides] for key in columns}
    shown_rows = [_masked(r, request.user) for r in rows]
    shown_sides = [_masked(side, request.user) for side in sides]
    side_by_side = [
        (
            key,
            [r.get(key, "") for r in shown_rows],
            [(side.get(key, ""), flag) for side, flag in zip(shown_sides, flags[key], strict=True)],
            any(flags[key]),
        )
        for key in columns
    ]
    if sensitive:
        audit(
            Action.VIEW_SENSITIVE, actor=request.user, obj=finding, message="查看比对结果（含完整证件号码）"
        )
    if len(rows) > 1:
        headers = [f"来源（第{r.get('源行号', '')}行）" for r in rows]
    else:
        headers = [f"来源（第{finding.row_no}行）" if finding.row_no else "来源"]
    flagged = (
        finding.person_id
        and Unreachable.objects.filter(person_id=finding.person_id, cleared_at__isnull=True).exists()
    )
    return render(
        request,
        "compare/finding_detail.html",
        {
            "finding": finding,
            "rows": rows,
            "side_by_side": side_by_side,
            "headers": headers,
            "registry_headers": registry_headers,
            "proposal": _proposal_lines(finding.proposal, hide_health=not request.user.can_view_sensitive),
            "flagged": flagged,
            "nav": "compare",
            "tab": "findings",
        },
    )


def _fill_detail(request, finding: Finding):
    """A fill finding: the values it proposes, its people a page at a time (by name or ID number if
    searched); while open, people can be left out or taken back in."""
    people = finding.people.select_related("person").order_by("row_no")
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(Q(person__name__contains=query) | Q(person__id_number=query.upper()))
    context = paginate(request, people)
    sensitive = request.user.can_view_sensitive
    shown = [
        (member, member.person.id_number if sensitive else mask_id(member.person.id_number))
        for member in context["object_list"]
    ]
    if sensitive and shown:
        audit(
            Action.VIEW_SENSITIVE,
            actor=request.user,
            obj=finding,
            message=f"查看名册补录人员（含完整证件号码，第{context['page_obj'].number}页）",
        )
    counted = finding.people.values("excluded").annotate(n=Count("row_no")).order_by()
    totals = {row["excluded"]: row["n"] for row in counted}
    context.update(
        {
            "finding": finding,
            "people": shown,
            # what results.csv advises for each of their rows
            "proposed": finding.advice,
            "query": query,
            "included": totals.get(False, 0),
            "excluded": totals.get(True, 0),
            "nav": "compare",
            "tab": "findings",
        }
    )
    return render(request, "compare/fill_detail.html", context)


@staff_required
@require_POST
def finding_people(request, pk: int):
    """Leave the selected people of an open fill finding out of it, or take them back in."""
    finding = _scoped_finding(request, pk)
    ids = as_ids(request.POST.getlist("people"))
    excluding = request.POST.get("do") != "include"
    if not finding.is_fill or not finding.decidable:
        messages.warning(request, "只有待处理的名册补录结果可以排除或恢复人员。")
    elif not ids:
        messages.warning(request, "请先勾选人员。")
    else:
        count = actions.exclude_people(request.user, finding, ids, excluded=excluding)
        messages.success(request, f"已{'排除' if excluding else '恢复'} {count} 人。")
    back = request.POST.get("next", "")
    target = reverse("compare:finding_detail", kwargs={"pk": finding.pk})
    return redirect(f"{target}?{back}" if back else target)


def _proposal_lines(proposal: dict, *, hide_health: bool = False) -> list[str]:
    from bangfu.compare.verdicts import LABELS, shown

    lines = []
    for name, value in (proposal.get("person") or {}).items():
        label = LABELS.get(name, name)
        value = "******" if hide_health and label in SENSITIVE_KEYS else (shown(value) or "（空）")
        lines.append(f"人员 · {label} → {value}")
    for name, value in (proposal.get("household") or {}).items():
        lines.append(f"户 · {LABELS.get(name, name)} → {shown(value)}")
    if job := proposal.get("employment"):
        lines.append(
            f"新增就业记录 · {job['employer_name']}，{job['started_on']} 入职"
            + (f"，{job['place']}" if job.get("place") else "")
            + (f"，{job['channel']}" if job.get("channel") else "")
            + (f"，月工资 {job['monthly_wage']} 元" if job.get("monthly_wage") else "")
        )
    if ending := proposal.get("ending"):
        lines.append(
            f"结束就业记录 · {ending['employer_name'] or '单位不详'}，{ending['started_on']} 入职"
            f" → 离职日期 {ending['ended_on']}"
        )
    return lines


@staff_required
@require_POST
def finding_decide(request, pk: int):
    finding = _scoped_finding(request, pk)
    if not finding.decidable:
        messages.warning(request, "该结果已处理或无需处理。")
    elif request.POST.get("decision") == "accept":
        finding = actions.accept(request.user, finding)
        messages.success(request, f"已接受：{finding.outcome}")
    else:
        actions.reject(request.user, finding, request.POST.get("note", ""))
        messages.success(request, "已驳回，名册未修改。")
    return redirect("compare:finding_detail", pk=finding.pk)


@staff_required
def finding_export(request):
    """The filtered findings as .xlsx or .csv (compare/export.py; exports.views: at once when small, else in
    the background). Whole ID numbers only for users who may see them; audited."""
    return export_response(request, "findings", back="compare:finding_list")
