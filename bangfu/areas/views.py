"""Area browser: drill down from the user's own area, search inside it; the areas' designations (认定),
listed, added, changed, ended, voided and imported."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.models import User
from bangfu.areas import importer
from bangfu.areas.actions import (
    Listing,
    add_designation,
    can_set_designations,
    change_designation,
    end_designation,
    void_designation,
)
from bangfu.areas.designations import KINDS, designations_on
from bangfu.areas.forms import (
    DesignationChangeForm,
    DesignationEndForm,
    DesignationFilterForm,
    DesignationForm,
    DesignationImportForm,
    DesignationVoidForm,
)
from bangfu.areas.models import Area, Designation, DesignationImport, Level, normalize_code
from bangfu.areas.stats import level_counts, rollup
from bangfu.areas.tasks import run_designation_import_task
from bangfu.audit import batches as audited
from bangfu.audit.batches import report_response
from bangfu.audit.models import AuditEvent
from bangfu.core import batches
from bangfu.core.access import staff_required
from bangfu.core.problems import batch_errors
from bangfu.core.views import paginate

logger = logging.getLogger("bangfu.areas")


def scoped_area(user, raw_code: str) -> Area:
    """The area with this code if it lies in the user's subtree; 404 otherwise."""
    try:
        code = normalize_code(raw_code)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    return get_object_or_404(Area.objects.for_user(user), code=code)


def breadcrumbs(user, area: Area) -> list[tuple[Area, bool]]:
    """Ancestors and the area itself, each with whether the user may open it."""
    chain = [*area.ancestors(), area]
    return [(a, user.area.contains(a)) for a in chain]


def children_table(user, area: Area) -> list[dict]:
    children = list(Area.objects.for_user(user).filter(parent=area).current().order_by("code"))
    villages = rollup(children, Area.objects.for_area(area).current().filter(level=Level.VILLAGE), "code")
    users = rollup(children, User.objects.for_area(area).staff().filter(is_active=True), "area_id")
    return [
        {"area": child, "villages": villages.get(child.code, 0), "users": users.get(child.code, 0)}
        for child in children
    ]


@staff_required
def index(request):
    return redirect("areas:detail", code=request.user.area.short_code)


@staff_required
def detail(request, code: str):
    area = scoped_area(request.user, code)
    counts = level_counts(area)
    return render(
        request,
        "areas/detail.html",
        {
            "area": area,
            "crumbs": breadcrumbs(request.user, area),
            "rows": children_table(request.user, area),
            "level_counts": [
                (Level(level).label, counts.get(level, 0)) for level in range(area.level + 1, 6)
            ],
            "users": User.objects.for_area(area)
            .staff()
            .filter(area=area, is_active=True)
            .order_by("username"),
            "designations": designations_on(area, timezone.localdate()),
            "nav": "areas",
        },
    )


@staff_required
def search(request):
    """Find areas by name or code within the user's subtree."""
    q = request.GET.get("q", "").strip()
    results = Area.objects.for_user(request.user).current().search(q).order_by("code")[:100] if q else []
    template = "areas/_search_results.html" if request.headers.get("HX-Request") else "areas/search.html"
    return render(request, template, {"q": q, "results": results, "nav": "areas"})


@staff_required
def pick(request):
    """htmx: areas matching a name or code, for filling a form's area-code field."""
    q = request.GET.get("q", "").strip()
    results = Area.objects.for_user(request.user).current().search(q).order_by("code")[:20] if q else []
    return render(request, "areas/_pick_results.html", {"results": results})


# --- designations (认定) ------------------------------------------------------------------------------------


def _listings(request, area: Area):
    """The listings of `area`'s subtree, filtered by kind, by day in force and by an area name or code."""
    form = DesignationFilterForm(request.GET or None)
    listings = (
        Designation.objects.for_user(request.user).for_area(area).select_related("area", "area__parent")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            listings = listings.filter(kind=data["kind"])
        if data["on"]:
            listings = listings.on(data["on"])
        if data["q"]:
            text = data["q"].strip()
            if text.isascii() and text.isdigit():
                listings = listings.filter(area__code__startswith=text)
            else:
                listings = listings.filter(area__name__contains=text)
    return form, listings.order_by("area_id", "kind", "starts_on")


@staff_required
def designation_list(request, code: str):
    area = scoped_area(request.user, code)
    form, listings = _listings(request, area)
    context = paginate(request, listings, per_page=50)
    today = timezone.localdate()
    context.update(
        {
            "area": area,
            "form": form,
            "today": today,
            "counts": _counts(area, today),
            "can_add": can_set_designations(request.user, area) or _can_set_below(request.user, area),
            "nav": "areas",
        }
    )
    return render(request, "areas/designation_list.html", context)


def _can_set_below(user, area: Area) -> bool:
    """Whether the user may list some area of `area`'s subtree (their own area's children)."""
    return bool(user.can_manage_users and user.area.contains(area))


def _counts(area: Area, on) -> list[tuple[str, str, int]]:
    """How many areas of the subtree carry each kind on `on`, by kind (one query)."""
    found = dict(
        Designation.objects.for_area(area)
        .on(on)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return [(slug, name, found.get(slug, 0)) for slug, name in KINDS.items()]


@staff_required
def designation_new(request, code: str):
    area = scoped_area(request.user, code)
    if not _can_set_below(request.user, area):
        raise PermissionDenied("区域认定由上级区域有管理权限的工作人员登记。")
    initial = {"code": area.code} if area.code != request.user.area_id else {}
    form = DesignationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        listing = Listing(data["code"], data["kind"], data["starts_on"], data["ends_on"], data["basis"])
        try:
            designation = add_designation(request.user, listing)
        except PermissionDenied as exc:
            form.add_error("code", str(exc))
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, f"已登记：{designation}")
            if getattr(designation, "ended_others", 0):
                messages.info(
                    request, f"同时终止了该区域原有的认定 {designation.ended_others} 条（见修改记录）。"
                )
            return redirect("areas:designation_detail", pk=designation.pk)
    return render(request, "areas/designation_form.html", {"area": area, "form": form, "nav": "areas"})


def _designation(request, pk: int) -> Designation:
    return get_object_or_404(
        Designation.objects.for_user(request.user).select_related("area", "created_by"), pk=pk
    )


def history(designation: Designation, user) -> list[tuple[AuditEvent, list]]:
    """Every recorded write of the listing, oldest first, each with what changed (label, before, after)
    when it changed a stored listing (the audit log is append-only: nothing is lost)."""
    labels = {f.name: str(f.verbose_name) for f in Designation._meta.concrete_fields}
    events = AuditEvent.objects.for_user(user).filter(
        object_type=Designation._meta.label_lower, object_id=str(designation.pk)
    )
    return [
        (
            event,
            [(labels.get(k, k), old, new) for k, old, new in event.changed_fields()] if event.before else [],
        )
        for event in events.select_related("actor").order_by("at", "id")
    ]


@staff_required
def designation_detail(request, pk: int):
    designation = _designation(request, pk)
    today = timezone.localdate()
    others = (
        Designation.objects.for_user(request.user).filter(area=designation.area).exclude(pk=designation.pk)
    )
    can_change = can_set_designations(request.user, designation.area) and not designation.voided
    return render(
        request,
        "areas/designation_detail.html",
        {
            "designation": designation,
            "in_force": designation.in_force(today),
            "events": history(designation, request.user),
            "others": others.order_by("kind", "starts_on"),
            "can_change": can_change,
            "change_form": DesignationChangeForm(
                initial={
                    "starts_on": designation.starts_on,
                    "ends_on": designation.ends_on,
                    "basis": designation.basis,
                }
            ),
            "end_form": DesignationEndForm(initial={"ends_on": today}),
            "void_form": DesignationVoidForm(),
            "nav": "areas",
        },
    )


def _change(request, pk: int, form_class, apply):
    designation = _designation(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return redirect("areas:designation_detail", pk=designation.pk)
    try:
        apply(designation, form.cleaned_data)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已保存，修改记录见下方。")
    return redirect("areas:designation_detail", pk=designation.pk)


@staff_required
@require_POST
def designation_edit(request, pk: int):
    return _change(
        request, pk, DesignationChangeForm,
        lambda d, data: change_designation(
            request.user, d, starts_on=data["starts_on"], ends_on=data["ends_on"], basis=data["basis"],
            reason=data["reason"],
        ),
    )  # fmt: skip


@staff_required
@require_POST
def designation_end(request, pk: int):
    return _change(
        request,
        pk,
        DesignationEndForm,
        lambda d, data: end_designation(request.user, d, data["ends_on"], data["reason"]),
    )


@staff_required
@require_POST
def designation_void(request, pk: int):
    return _change(
        request, pk, DesignationVoidForm, lambda d, data: void_designation(request.user, d, data["reason"])
    )


# --- the designations file ----------------------------------------------------------------------------------

INLINE_IMPORT_LIMIT = 2 * 1024 * 1024  # larger files go to the background worker


def _may_import(user) -> None:
    if not user.can_manage_users:
        raise PermissionDenied("区域认定由有管理权限的工作人员导入。")


@staff_required
def designation_import_list(request):
    imports = DesignationImport.objects.for_user(request.user).select_related("area", "user")
    batches.reap_batches(imports)
    context = paginate(request, imports.order_by("-created_at", "-id"), per_page=30)
    context.update({"nav": "areas"})
    return render(request, "areas/designation_import_list.html", context)


@staff_required
def designation_import_new(request):
    _may_import(request.user)
    form = DesignationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = importer.create_designation_import(area=request.user.area, user=request.user, upload=upload)
        _start_import(batch, upload.size)
        return redirect("areas:designation_import_detail", pk=batch.pk)
    return render(request, "areas/designation_import_form.html", {"form": form, "nav": "areas"})


def _start_import(batch: DesignationImport, size: int) -> None:
    """Small files are imported while the user waits; larger ones by the background worker."""
    if size >= INLINE_IMPORT_LIMIT:
        run_designation_import_task.enqueue(batch.pk)
        return
    try:
        importer.run_designation_import(batch)
    except (DatabaseError, ValidationError, PermissionDenied):
        logger.exception("designations import %s failed", batch.pk)


def _batch(request, pk: int) -> DesignationImport:
    return get_object_or_404(
        DesignationImport.objects.for_user(request.user).select_related("area", "user"), pk=pk
    )


@staff_required
def designation_import_detail(request, pk: int):
    batch = _batch(request, pk)
    if batches.reap_batches(DesignationImport.objects.filter(pk=batch.pk)):
        batch.refresh_from_db()
    context = {"batch": batch, "nav": "areas", "report_url": "areas:designation_import_report"}
    context.update(batch_errors(request, batch, personal=False))
    if request.headers.get("HX-Request"):
        return render(request, "areas/_designation_import_progress.html", context)
    return render(request, "areas/designation_import_detail.html", context)


@staff_required
def designation_import_report(request, pk: int):
    """The rejected rows as uploaded (area codes and dates: nothing sensitive); downloads are audited."""
    return report_response(request, _batch(request, pk), what="区域认定", personal=False)


@staff_required
@require_POST
def designation_import_resume(request, pk: int):
    batch = _batch(request, pk)
    _may_import(request.user)
    try:
        batch = audited.resume(request.user, batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("areas:designation_import_detail", pk=batch.pk)
    _start_import(batch, batch.file.size)
    return redirect("areas:designation_import_detail", pk=batch.pk)
