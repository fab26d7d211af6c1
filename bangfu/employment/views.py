"""Employment-record pages: the list of the user's subtree, recording a spell of work for a person and
ending one. Records from referrals, comparison and employers show here too."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from bangfu.core.access import staff_required
from bangfu.core.views import paginate
from bangfu.employment import actions
from bangfu.employment.filters import EmploymentFilter
from bangfu.employment.forms import EmploymentForm, EndForm
from bangfu.employment.models import EmploymentRecord
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
    context.update({"filter": filterset, "nav": "referrals", "tab": "employment"})
    return render(request, "employment/record_list.html", context)


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
            actions.end_record(
                request.user, record, form.cleaned_data["ended_on"], note=form.cleaned_data["note"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已结束 {record.person.name} 的这条就业记录。")
            return redirect("registry:person_detail", pk=record.person_id)
    return render(request, "employment/record_end.html", {"form": form, "record": record, "nav": "registry"})
