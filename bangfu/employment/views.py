"""Employment-record pages: the list of the user's subtree, recording a spell of work for a person and
ending one, and the 名册与就业记录不一致 list staff settle. Records from referrals, comparison, imports
and employers show here too."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from bangfu.core.access import staff_required
from bangfu.core.views import paginate
from bangfu.employment import actions
from bangfu.employment.filters import EmploymentFilter, MismatchFilter
from bangfu.employment.forms import EmploymentForm, EndForm, SettleForm
from bangfu.employment.models import EmploymentRecord, Mismatch, MismatchStatus
from bangfu.registry.models import Person
from bangfu.registry.views import _styled


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
