"""Employment-record pages: the list of the user's subtree, recording a spell of work for a person and
ending one, the 名册与就业记录不一致 list staff settle, and the employment records file import (导入就业信息:
upload, batches, result, error report, resume). Records from referrals, comparison, imports and employers
show here too."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bangfu.audit.batches import report_response
from bangfu.core.access import staff_required
from bangfu.core.problems import batch_errors
from bangfu.core.views import paginate
from bangfu.employment import actions, importer
from bangfu.employment.filters import EmploymentFilter, MismatchFilter
from bangfu.employment.forms import EmploymentForm, EmploymentImportForm, EndForm, SettleForm
from bangfu.employment.models import EmploymentImport, EmploymentRecord, Mismatch, MismatchStatus
from bangfu.employment.tasks import run_employment_import_task
from bangfu.registry.models import Person
from bangfu.registry.views import _styled

logger = logging.getLogger(__name__)


@staff_required
def record_list(request):
    records = EmploymentRecord.objects.for_user(request.user).select_related(
        "person", "area", "employer", "work_area", "referral"
    )
    filterset = _styled(
        EmploymentFilter(request.GET, queryset=records),
        {"q": "姓名、首字母或证件号后几位", "area": "如 433124102"},
    )
    context = paginate(request, filterset.qs.order_by("-started_on", "-id"))
    context.update({"filter": filterset, "nav": "referrals", "tab": "employment", **_open_count(request)})
    return render(request, "employment/record_list.html", context)


def _open_count(request) -> dict:
    return {
        "open_mismatches": Mismatch.objects.for_user(request.user).filter(status=MismatchStatus.OPEN).count()
    }


@staff_required
def record_create(request, pk: int):
    person = get_object_or_404(Person.objects.for_user(request.user).select_related("area"), pk=pk)
    form = EmploymentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_record(request.user, person, form.save(commit=False))
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已登记 {person.name} 的就业记录。")
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "employment/record_form.html", {"form": form, "person": person, "nav": "registry"})


@staff_required
def record_end(request, pk: int):
    record = get_object_or_404(
        EmploymentRecord.objects.for_user(request.user).select_related("person"), pk=pk
    )
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            actions.end_record(
                request.user, record, data["ended_on"], reason=data["reason"], note=data["note"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已结束 {record.person.name} 的这条就业记录。")
            return redirect("registry:person_detail", pk=record.person_id)
    return render(request, "employment/record_end.html", {"form": form, "record": record, "nav": "registry"})


@staff_required
def mismatch_list(request):
    """名册与就业记录不一致 of the user's subtree: an import said 未务工 while a record was in force."""
    entries = Mismatch.objects.for_user(request.user).select_related(
        "person", "area", "record", "record__work_area", "batch"
    )
    data = request.GET.copy()
    data.setdefault("status", MismatchStatus.OPEN)
    filterset = _styled(
        MismatchFilter(data, queryset=entries), {"q": "姓名、首字母或证件号后几位", "area": "如 433124102"}
    )
    context = paginate(request, filterset.qs.order_by("-found_on", "-id"))
    context.update({"filter": filterset, "nav": "referrals", "tab": "mismatches", **_open_count(request)})
    return render(request, "employment/mismatch_list.html", context)


@staff_required
def mismatch_settle(request, pk: int):
    mismatch = get_object_or_404(
        Mismatch.objects.for_user(request.user).select_related(
            "person", "area", "record", "record__work_area"
        ),
        pk=pk,
    )
    form = SettleForm(request.POST or None)
    if request.method == "POST" and mismatch.status == MismatchStatus.OPEN and form.is_valid():
        data = form.cleaned_data
        try:
            actions.settle_mismatch(
                request.user, mismatch, end=data["decision"] == "end", ended_on=data["ended_on"],
                reason=data["reason"], note=data["note"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已处理 {mismatch.person.name} 的名册与就业记录不一致。")
            return redirect("employment:mismatches")
    return render(
        request, "employment/mismatch_settle.html", {"form": form, "mismatch": mismatch, "nav": "referrals"}
    )


# -- the employment records file import (EXCHANGE §5) ------------------------------------------------------

INLINE_IMPORT_LIMIT = 1024 * 1024  # larger files go to the background worker


@staff_required
def import_list(request):
    batches = EmploymentImport.objects.for_user(request.user).select_related("area", "user")
    importer.reap_employment_imports(batches)
    context = paginate(request, batches.order_by("-created_at", "-id"), per_page=30)
    context.update({"nav": "referrals", "tab": "imports", **_open_count(request)})
    return render(request, "employment/import_list.html", context)


@staff_required
def import_new(request):
    form = EmploymentImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = importer.create_employment_import(area=request.user.area, user=request.user, upload=upload)
        _start_import(batch, upload.size)
        return redirect("employment:import_detail", pk=batch.pk)
    context = {"form": form, "nav": "referrals", "tab": "imports", **_open_count(request)}
    return render(request, "employment/import_form.html", context)


def _start_import(batch: EmploymentImport, size: int) -> None:
    """Small files are imported while the user waits; larger ones by the background worker."""
    if size >= INLINE_IMPORT_LIMIT:
        run_employment_import_task.enqueue(batch.pk)
        return
    try:
        importer.run_employment_import(batch)
    except (DatabaseError, ValidationError, PermissionDenied):
        logger.exception("employment import %s failed", batch.pk)


def _scoped_batch(request, pk: int) -> EmploymentImport:
    batches = EmploymentImport.objects.for_user(request.user).select_related("area", "user")
    return get_object_or_404(batches, pk=pk)


@staff_required
def import_detail(request, pk: int):
    batch = _scoped_batch(request, pk)
    if importer.reap_employment_imports(EmploymentImport.objects.filter(pk=batch.pk)):
        batch.refresh_from_db()
    context = {"batch": batch, "nav": "referrals", "tab": "imports", "report_url": "employment:import_report"}
    context.update(batch_errors(request, batch, personal=True))
    if request.headers.get("HX-Request"):
        return render(request, "employment/_import_progress.html", context)
    return render(request, "employment/import_detail.html", context)


@staff_required
def import_report(request, pk: int):
    """The rejected rows as uploaded (ID numbers among them: for the importer and those who may see them
    whole); downloads are audited."""
    return report_response(request, _scoped_batch(request, pk), what="就业信息", personal=True)


@staff_required
@require_POST
def import_resume(request, pk: int):
    batch = _scoped_batch(request, pk)
    try:
        batch = importer.resume_employment_import(request.user, batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("employment:import_detail", pk=batch.pk)
    _start_import(batch, batch.file.size)
    return redirect("employment:import_detail", pk=batch.pk)
