"""Pages of targets: the year's targets of the user's area and the areas below with their progress (computed,
never stored), setting one target, splitting a target among the areas below (live sum), and the targets
file's import with its batch page and error report."""

from __future__ import annotations

import json
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.audit.batches import report_response
from bangfu.core.access import staff_required
from bangfu.core.params import as_int
from bangfu.core.problems import batch_errors
from bangfu.core.views import paginate
from bangfu.targets import actions, importer
from bangfu.targets.forms import SplitForm, TargetForm, TargetImportForm
from bangfu.targets.models import Target, TargetImport
from bangfu.targets.progress import children_progress, own_progress, schedule_month
from bangfu.targets.tasks import run_target_import_task

logger = logging.getLogger("bangfu.targets")
INLINE_IMPORT_LIMIT = 1024 * 1024


def _year(request) -> int:
    return as_int(request.GET.get("year"), 2014, 2099) or timezone.localdate().year


def _on(year: int):
    """The figures' date for a year: today within it, its last day after it, its first day before it."""
    import datetime as dt

    today = timezone.localdate()
    return min(max(today, dt.date(year, 1, 1)), dt.date(year, 12, 31))


@staff_required
def index(request):
    """目标: the area's own targets and, per figure, the areas below — target, figure, completion, schedule,
    behind, rank — with the split's state."""
    area = request.user.area
    code = request.GET.get("area")
    if code:
        area = get_object_or_404(Area.objects.for_user(request.user), code=code)
    year = _year(request)
    on = _on(year)
    today = timezone.localdate()
    own = own_progress(area, on) if on.year == year else []
    children, keys, found = children_progress(area, year, on)
    targets = list(Target.objects.filter(area=area, year=year))
    status = actions.split_status(targets)
    names = {key: actions.figure_name(key) for key in keys}
    for p in [*own, *found.values()]:
        p.scheduled_now, p.behind_now = p.scheduled(on), p.behind(on)
    mine = {t.figure: t for t in targets}
    tables = []
    for key in keys:
        rows = [found[(child.code, key)] for child in children]
        total = sum(p.value or 0 for p in rows)
        parent = mine.get(key)
        tables.append(
            {
                "key": key,
                "chart_id": f"chart-{key}",
                "name": names[key],
                "rows": rows,
                "parent": parent,
                "split_total": total,
                "shortfall": max((parent.value if parent else 0) - total, 0)
                if any(p.target for p in rows)
                else None,
                "status": status.get(parent.pk) if parent else None,
                "chart": json.dumps(
                    {
                        "names": [p.area.name for p in rows],
                        "actual": [p.actual for p in rows],
                        "target": [p.value or 0 for p in rows],
                    },
                    ensure_ascii=False,
                ),
            }
        )
    return render(
        request,
        "targets/index.html",
        {
            "area": area, "year": year, "on": on, "month": schedule_month(year, on), "own": own,
            "tables": tables, "years": range(today.year + 1, today.year - 5, -1), "nav": "targets",
        },
    )  # fmt: skip


def _reachable(request) -> list[Area]:
    """The areas a user may set targets for on the form: their own and the two levels below."""
    area = request.user.area
    children = list(Area.objects.filter(parent=area).order_by("code"))
    return [area, *children]


@staff_required
def target_set(request):
    areas = _reachable(request)
    initial = {"area": request.GET.get("area") or request.user.area.code}
    if request.GET.get("figure"):
        initial["figure"] = request.GET["figure"]
    form = TargetForm(request.POST or None, areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        area = get_object_or_404(Area.objects.for_user(request.user), code=form.cleaned_data["area"])
        try:
            target = actions.set_target(
                request.user, area, year=form.cleaned_data["year"], figure=form.cleaned_data["figure"],
                value=form.cleaned_data["value"], monthly=form.monthly(),
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            messages.success(
                request, f"已设定目标：{target.year}年 {area.name} {target.figure_name} {target.value}"
            )
            return redirect(f"{reverse('targets:index')}?year={target.year}")
    return render(request, "targets/target_form.html", {"form": form, "nav": "targets"})


@staff_required
def target_split(request, pk: int):
    """Split a target among the areas directly below, with the typed values summed as one types."""
    target = get_object_or_404(Target.objects.for_user(request.user).select_related("area"), pk=pk)
    children = list(Area.objects.filter(parent=target.area).order_by("code"))
    if not children:
        raise Http404("该区域没有下级区域。")
    current = dict(
        Target.objects.filter(area__parent=target.area, year=target.year, figure=target.figure).values_list(
            "area_id", "value"
        )
    )
    form = SplitForm(request.POST or None, children=children, current=current)
    if request.method == "POST" and form.is_valid():
        parts = [actions.SplitPart(child, value) for child, value in form.parts()]
        try:
            actions.split_target(request.user, target, parts)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            messages.success(request, f"已分解 {target.year}年{target.area.name}“{target.figure_name}”目标。")
            url = f"{reverse('targets:index')}?year={target.year}"
            if target.area.code != request.user.area.code:
                url += f"&area={target.area.code}"
            return redirect(url)
    return render(
        request,
        "targets/split_form.html",
        {"form": form, "target": target, "children": children, "nav": "targets"},
    )


# --- the targets file --------------------------------------------------------------------------------------


@staff_required
def import_list(request):
    batches = TargetImport.objects.for_user(request.user).select_related("area", "user")
    importer.reap_target_imports(batches)
    context = paginate(request, batches.order_by("-created_at", "-id"), per_page=30)
    context["nav"] = "targets"
    return render(request, "targets/import_list.html", context)


@staff_required
def import_new(request):
    form = TargetImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = importer.create_target_import(area=request.user.area, user=request.user, upload=upload)
        if upload.size >= INLINE_IMPORT_LIMIT:
            run_target_import_task.enqueue(batch.pk)
        else:
            try:
                importer.run_target_import(batch)
            except (DatabaseError, ValidationError, PermissionDenied):
                logger.exception("targets import %s failed", batch.pk)
        return redirect("targets:import_detail", pk=batch.pk)
    return render(request, "targets/import_form.html", {"form": form, "nav": "targets"})


def _scoped_batch(request, pk: int) -> TargetImport:
    return get_object_or_404(
        TargetImport.objects.for_user(request.user).select_related("area", "user"), pk=pk
    )


@staff_required
def import_detail(request, pk: int):
    batch = _scoped_batch(request, pk)
    if importer.reap_target_imports(TargetImport.objects.filter(pk=batch.pk)):
        batch.refresh_from_db()
    context = {"batch": batch, "nav": "targets", "report_url": "targets:import_report"}
    context.update(batch_errors(request, batch, personal=False))
    if request.headers.get("HX-Request"):
        return render(request, "targets/_import_progress.html", context)
    return render(request, "targets/import_detail.html", context)


@staff_required
def import_report(request, pk: int):
    """The rejected rows as uploaded (no personal data in a targets file); downloads are audited."""
    return report_response(request, _scoped_batch(request, pk), what="目标", personal=False)
