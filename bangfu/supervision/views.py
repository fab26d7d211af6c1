"""督办 pages. The receiving areas' list (督办事项: a county sees its townships' and villages' items, overdue
ones rolled up by sub-area), the tasks sent, a task with its receivers, a receiver's page to reply from a
phone, the sender's review; the rectification ledger with its filters, export and 销号; attachment
downloads, audited. Every page starts from the user's scope (`for_user`); outsiders get 404."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.areas.models import Area
from bangfu.areas.stats import rollup
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.access import staff_required
from bangfu.core.views import paginate
from bangfu.exchange.report import excel_overflow
from bangfu.registry.views import _styled, _TemporaryDownload
from bangfu.supervision import actions, export
from bangfu.supervision.filters import AssignmentFilter, RectificationFilter, TaskFilter
from bangfu.supervision.forms import (
    CloseForm,
    ProgressForm,
    RectificationForm,
    ReplyForm,
    ReviewForm,
    TaskForm,
)
from bangfu.supervision.models import (
    Assignment,
    Attachment,
    Rectification,
    RectStatus,
    Reply,
    Status,
    Task,
    rect_overdue_q,
)

NAV = "supervision"


def _errors(exc) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _form_errors(form) -> str:
    return "；".join(
        f"{form.fields[f].label}：{' '.join(e)}" if f in form.fields else " ".join(e)
        for f, e in form.errors.items()
    )


# --- the receiving areas' list (督办事项), with the overdue roll-up -----------------------------------------


def _assignments(request):
    return Assignment.objects.for_user(request.user).select_related("task", "task__area", "area")


def _assignment_filter(request):
    data = request.GET.copy()
    if "status" not in data:  # work to do: the open ones unless asked otherwise
        data["status"] = "open"
    return _styled(
        AssignmentFilter(data, queryset=_assignments(request)), {"q": "标题或内容", "area": "如 433124102"}
    )


def overdue_by_child(user, today):
    """The overdue items below the user's area, per child area (one GROUP BY per child level)."""
    area = user.area
    children = list(Area.objects.filter(parent=area, is_current=True).order_by("code"))
    if not children:
        return []
    counts = rollup(children, Assignment.objects.for_user(user).overdue(today), "area_id")
    return [(child, counts.get(child.code, 0)) for child in children if counts.get(child.code)]


@staff_required
def assignment_list(request):
    filterset = _assignment_filter(request)
    today = timezone.localdate()
    context = paginate(request, filterset.qs.order_by("due_on", "task_id", "area_id"))
    overdue = Assignment.objects.for_user(request.user).overdue(today)
    context.update(
        {
            "filter": filterset,
            "today": today,
            "overdue_count": overdue.order_by()[:10_001].count(),
            "overdue_children": overdue_by_child(request.user, today) if request.user.area.level < 5 else [],
            "nav": NAV,
        }
    )
    return render(request, "supervision/assignment_list.html", context)


# --- tasks ----------------------------------------------------------------------------------------------


@staff_required
def task_list(request):
    """Tasks sent by the user's area or an area below it, with how each stands."""
    today = timezone.localdate()
    tasks = (
        Task.objects.for_user(request.user)
        .sent_within(request.user.area)
        .select_related("area", "created_by")
        .annotate(
            receivers=Count("assignments"),
            done=Count("assignments", filter=Q(assignments__done_on__isnull=False)),
            late=Count(
                "assignments", filter=Q(assignments__done_on__isnull=True, assignments__due_on__lt=today)
            ),
            to_review=Count("assignments", filter=Q(assignments__awaiting_review=True)),
        )
    )
    filterset = _styled(TaskFilter(request.GET, queryset=tasks), {"q": "标题或内容"})
    context = paginate(request, filterset.qs.order_by("-created_at", "-id"))
    context.update({"filter": filterset, "today": today, "nav": NAV})
    return render(request, "supervision/task_list.html", context)


@staff_required
def task_new(request):
    form = TaskForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            areas = (
                actions.receiving_areas(request.user, all_children=True)
                if data["all_children"]
                else [*data["areas"], *actions.receiving_areas(request.user, codes=data["code_list"])]
            )
            task = actions.create_task(
                request.user, title=data["title"], content=data["content"], due_on=data["due_on"],
                leader=data["leader"], unit=data["unit"], areas=areas, files=data["files"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, f"已下发督办任务至 {task.assignments.count()} 个区域。")
            return redirect("supervision:task_detail", pk=task.pk)
    return render(request, "supervision/task_form.html", {"form": form, "nav": NAV})


@staff_required
def task_detail(request, pk: int):
    task = get_object_or_404(Task.objects.for_user(request.user).select_related("area", "created_by"), pk=pk)
    today = timezone.localdate()
    assignments = list(_assignments(request).filter(task=task).order_by("area_id"))
    for a in assignments:
        a.status = a.status_on(today)
    return render(
        request,
        "supervision/task_detail.html",
        {
            "task": task,
            "files": task.files.all(),
            "assignments": assignments,
            "counts": {s: sum(a.status == s for a in assignments) for s in Status.values},
            "today": today,
            "nav": NAV,
        },
    )


# --- a receiving area's page ----------------------------------------------------------------------------


def _assignment(request, pk: int) -> Assignment:
    return get_object_or_404(_assignments(request), pk=pk)


@staff_required
def assignment_detail(request, pk: int):
    assignment = _assignment(request, pk)
    replies = list(assignment.replies.select_related("submitted_by", "reviewed_by").prefetch_related("files"))
    can_reply = actions.can_reply(request.user, assignment) and not assignment.awaiting_review
    context = {
        "assignment": assignment,
        "task": assignment.task,
        "files": assignment.task.files.all(),
        "replies": replies,
        "status": assignment.status_on(timezone.localdate()),
        "reply_form": ReplyForm() if can_reply else None,
        "can_review": actions.can_review(request.user, assignment.task),
        "review_form": ReviewForm(),
        "nav": NAV,
    }
    return render(request, "supervision/assignment_detail.html", context)


@staff_required
@require_POST
def assignment_reply(request, pk: int):
    assignment = _assignment(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("supervision:assignment_detail", pk=assignment.pk)
    data = form.cleaned_data
    try:
        actions.submit_reply(
            request.user, assignment, content=data["content"], progress=data["progress"], files=data["files"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已报送办理情况，等待发文单位审核。")
    return redirect("supervision:assignment_detail", pk=assignment.pk)


@staff_required
@require_POST
def reply_review(request, pk: int):
    reply = get_object_or_404(Reply.objects.for_user(request.user).select_related("assignment"), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        accept = form.cleaned_data["decision"] == "accept"
        try:
            actions.review_reply(request.user, reply, accept=accept, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "已采纳。" if accept else "已退回，承办区域会收到通知。")
    return redirect("supervision:assignment_detail", pk=reply.assignment_id)


# --- attachments ----------------------------------------------------------------------------------------


@staff_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.for_user(request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件已不存在。") from exc
    actions.record_download(request.user, attachment)
    # Always a download, never shown in the browser (an uploaded .html or .svg must not run here).
    return FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type="application/octet-stream"
    )


# --- the rectification ledger (整改台账) -------------------------------------------------------------------


def _rects(request):
    return Rectification.objects.for_user(request.user).select_related("area", "task", "closed_by")


def _rect_filter(request):
    return _styled(
        RectificationFilter(request.GET, queryset=_rects(request)),
        {"q": "问题、责任单位或措施", "area": "如 433124102"},
    )


LEDGER_ORDER = ("deadline", "id")


@staff_required
def rect_list(request):
    filterset = _rect_filter(request)
    today = timezone.localdate()
    context = paginate(request, filterset.qs.order_by(*LEDGER_ORDER))
    context.update(
        {
            "filter": filterset,
            "today": today,
            "overdue_count": _rects(request).filter(rect_overdue_q(today)).order_by()[:10_001].count(),
            "nav": NAV,
        }
    )
    return render(request, "supervision/rect_list.html", context)


@staff_required
def rect_export(request):
    """The filtered ledger as .xlsx (or .csv), audited with its row count and conditions."""
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    filterset = _rect_filter(request)
    refused = "" if filterset.is_valid() else "筛选条件有误，请先改正后再导出。"
    if not refused and fmt == "xlsx":
        refused = excel_overflow(filterset.qs.count())
    if refused:
        messages.error(request, refused)
        params = request.GET.copy()
        params.pop("format", None)
        return redirect(f"{reverse('supervision:rect_list')}?{params.urlencode()}")
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False) as handle:
        path = Path(handle.name)
    try:
        count = export.write_ledger(path, filterset.qs.order_by(*LEDGER_ORDER), file_format=fmt)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    conditions = "；".join(f"{k}={v}" for k, v in request.GET.items() if v and k not in ("format", "page"))
    audit(
        Action.EXPORT,
        actor=request.user,
        area_code=request.user.area_id,
        message=f"导出整改台账 {count} 条（{fmt}）" + (f"，筛选条件：{conditions}" if conditions else ""),
    )
    filename = f"整改台账-{request.user.area.short_code}-{timezone.localdate():%Y%m%d}.{fmt}"
    return FileResponse(_TemporaryDownload(path, "r"), as_attachment=True, filename=filename)


@staff_required
def rect_new(request):
    initial = {"area": request.user.area.short_code}
    if task_id := request.GET.get("task", "").strip():
        initial.update(task=task_id if task_id.isascii() and task_id.isdigit() else None, source="督查")
    if warning_id := request.GET.get("warning", "").strip():
        initial["warning"] = warning_id if warning_id.isascii() and warning_id.isdigit() else None
    form = RectificationForm(request.POST or None, request.FILES or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = actions.create_rectification(
                request.user, area=data["area"], unit=data["unit"], problem=data["problem"],
                source=data["source"], deadline=data["deadline"], measures=data["measures"],
                task=data["task"], warning=data["warning"], files=data["files"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "已登记整改事项。")
            return redirect("supervision:rect_detail", pk=item.pk)
    return render(request, "supervision/rect_form.html", {"form": form, "nav": NAV})


def _rect(request, pk: int) -> Rectification:
    return get_object_or_404(_rects(request), pk=pk)


@staff_required
def rect_detail(request, pk: int):
    item = _rect(request, pk)
    today = timezone.localdate()
    closed = item.status == RectStatus.CLOSED
    context = {
        "item": item,
        "files": item.files.select_related("uploaded_by"),
        "overdue": item.is_overdue(today),
        "progress_form": None
        if closed
        else ProgressForm(initial={"status": item.status, "measures": item.measures}),
        "close_form": CloseForm(initial={"on": today}) if actions.can_close(request.user, item) else None,
        "warning_visible": item.warning_id is not None and _visible_warning(request.user, item.warning_id),
        "task_visible": item.task_id is not None
        and Task.objects.for_user(request.user).filter(pk=item.task_id).exists(),
        "nav": NAV,
    }
    return render(request, "supervision/rect_detail.html", context)


def _visible_warning(user, warning_id: int) -> bool:
    from bangfu.tracking.models import Warning

    return Warning.objects.for_user(user).filter(pk=warning_id).exists()


@staff_required
@require_POST
def rect_update(request, pk: int):
    item = _rect(request, pk)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        data = form.cleaned_data
        try:
            actions.update_rectification(
                request.user, item, measures=data["measures"], status=data["status"], files=data["files"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "已保存整改情况。")
    return redirect("supervision:rect_detail", pk=item.pk)


@staff_required
@require_POST
def rect_close(request, pk: int):
    item = _rect(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            actions.close_rectification(
                request.user, item, on=form.cleaned_data["on"], note=form.cleaned_data["note"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "已销号。")
    return redirect("supervision:rect_detail", pk=item.pk)
