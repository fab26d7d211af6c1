"""企业用工报送 pages. In the enterprise portal (enterprise accounts, their own employers' reports only; any
other report is a 404): the list of reported people, a hire, a departure, a month's wages and insurance, and
a file. What these pages answer never depends on the registry. For staff (area scope): the reports about
the people of their area."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.access import staff_required
from bangfu.core.idnumber import mask_id
from bangfu.core.params import as_id
from bangfu.core.views import paginate
from bangfu.employers.views import enterprise_required
from bangfu.exchange.report import CellError
from bangfu.exchange.spreadsheet import SpreadsheetError
from bangfu.formats.catalog import workforce_layouts
from bangfu.formats.template import write_template
from bangfu.workforce import actions, importer, rows
from bangfu.workforce.forms import HireForm, ImportForm, LeaveForm, MonthForm
from bangfu.workforce.models import Hire, MonthlyWage

STATUSES = {"current": "在职", "ended": "已离职"}


def _employers(request):
    return request.user.employers.filter(is_active=True).order_by("name")


def _latest_wage(queryset):
    """Each hire with its latest reported month and wage (two subqueries, no query per row)."""
    latest = MonthlyWage.objects.filter(hire=OuterRef("pk")).order_by("-month")
    return queryset.annotate(
        last_month=Subquery(latest.values("month")[:1]),
        last_wage=Subquery(latest.values("wage")[:1]),
        last_insured=Subquery(latest.values("insured")[:1]),
    )


def _filtered(request, hires):
    employer = as_id(request.GET.get("employer"))
    if employer is not None:
        hires = hires.filter(employer_id=employer)
    status = request.GET.get("status", "")
    if status == "current":
        hires = hires.filter(ended_on__isnull=True)
    elif status == "ended":
        hires = hires.filter(ended_on__isnull=False)
    q = request.GET.get("q", "").strip()[:30]
    if q:
        hires = hires.filter(Q(name__contains=q) | Q(id_number__endswith=q.upper()))
    return hires


# --- the enterprise portal ---------------------------------------------------------------------------


@enterprise_required
def portal_list(request):
    hires = _latest_wage(Hire.objects.for_employer_account(request.user).select_related("employer"))
    context = paginate(request, _filtered(request, hires).order_by("-started_on", "-id"))
    context.update(
        {
            "employers": list(_employers(request)),
            "statuses": STATUSES,
            "chosen": {k: request.GET.get(k, "") for k in ("employer", "status", "q")},
            "nav": "enterprise",
        }
    )
    return render(request, "workforce/portal_list.html", context)


@enterprise_required
def portal_hire_new(request):
    employers = _employers(request)
    form = HireForm(request.POST or None, employers=employers, initial={"employer": employers.first()})
    if request.method == "POST" and form.is_valid():
        try:
            hire = actions.report_hire(request.user, form.cleaned_data["employer"], form.row)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, f"已报送入职：{hire.name}（{hire.masked_id}），{hire.started_on:%Y-%m-%d} 入职。"
            )
            return redirect("workforce:portal_list")
    return render(
        request,
        "workforce/portal_hire_form.html",
        {"form": form, "no_employer": not employers.exists(), "nav": "enterprise"},
    )


def _own(request, pk: int) -> Hire:
    return get_object_or_404(
        Hire.objects.for_employer_account(request.user).select_related("employer"), pk=pk
    )


@enterprise_required
def portal_hire(request, pk: int):
    hire = _own(request, pk)
    return _hire_page(request, hire, LeaveForm(initial={"ended_on": timezone.localdate()}))


def _hire_page(request, hire, form, status=200):
    context = {"hire": hire, "wages": hire.wages.order_by("-month")[:60], "form": form, "nav": "enterprise"}
    return render(request, "workforce/portal_hire.html", context, status=status)


@enterprise_required
@require_POST
def portal_leave(request, pk: int):
    hire = _own(request, pk)
    if hire.ended_on is not None:  # a second departure, from a page opened before the first
        messages.error(request, f"已报送过此人的离职（{hire.ended_on:%Y-%m-%d}）。")
        return redirect("workforce:portal_hire", pk=hire.pk)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            actions.report_departure(
                request.user, hire, form.cleaned_data["ended_on"], form.cleaned_data["end_reason"]
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已报送离职：{hire.name}（{hire.masked_id}）。")
            return redirect("workforce:portal_hire", pk=hire.pk)
    return _hire_page(request, hire, form)


@enterprise_required
def portal_wages(request):
    """A month's wages and insurance for everyone of one employer in work that month, on one sheet."""
    employers = _employers(request)
    choice = MonthForm(request.GET or None, employers=employers)
    employer, month = choice.chosen(employers)
    hires, errors = [], {}
    if employer is not None:
        last_day = rows.month_end(month)
        hires = list(
            Hire.objects.for_employer_account(request.user)
            .filter(employer=employer)
            .in_work_during(month, last_day)
            .order_by("name", "id")
        )
        stored = {w.hire_id: w for w in MonthlyWage.objects.filter(hire__in=hires, month=month)}
        for hire in hires:
            hire.entry = stored.get(hire.pk)
        if request.method == "POST":
            entries = []
            for hire in hires:
                raw = request.POST.get(f"wage_{hire.pk}", "")
                problems: list[CellError] = []
                wage = rows.check_wage(raw, problems, required=False)
                hire.typed = raw
                hire.typed_insured = request.POST.get(f"insured_{hire.pk}") == "1"
                if problems:
                    errors[hire.pk] = problems[0].message
                elif wage is not None:
                    entries.append((hire, wage, hire.typed_insured))
            if not errors:
                try:
                    counts = actions.report_month(request.user, employer, month, entries)
                except (PermissionDenied, ValidationError) as exc:
                    messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
                else:
                    messages.success(request, f"已报送 {month:%Y-%m} 月工资参保：{counts.text('')}。")
                    return redirect(f"{request.path}?employer={employer.pk}&month={month:%Y-%m}")
    context = {
        "choice": choice,
        "employer": employer,
        "month": month,
        "hires": hires,
        "errors": errors,
        "no_employer": employer is None,
        "nav": "enterprise",
    }
    return render(request, "workforce/portal_wages.html", context)


@enterprise_required
def portal_import(request):
    employers = _employers(request)
    form = ImportForm(request.POST or None, request.FILES or None, employers=employers)
    result = None
    if request.method == "POST" and form.is_valid():
        upload, employer, kind = (
            form.cleaned_data["file"],
            form.cleaned_data["employer"],
            form.cleaned_data["kind"],
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{Path(upload.name).suffix.lower()}"
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                result = _import(request.user, kind, path, employer, upload.name)
            except SpreadsheetError as error:
                form.add_error("file", error.message)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
    context = {
        "form": form,
        "result": result,
        "no_employer": not employers.exists(),
        "layouts": workforce_layouts(),
        "nav": "enterprise",
    }
    return render(request, "workforce/portal_import.html", context)


@enterprise_required
def portal_template(request, key: str):
    """The import template of a workforce file (the staff's 数据交换说明 is not open to enterprises)."""
    layout = next((layout for layout in workforce_layouts() if layout.key == key), None)
    if layout is None:
        raise Http404("没有这种导入模板。")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(layout, path)
        content = path.read_bytes()
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{layout.title}-导入模板.xlsx")


def _import(actor, kind, path, employer, name):
    validation = importer.validate(kind, path, employer)
    save = actions.import_hires if kind == importer.HIRES else actions.import_wages
    counts = save(actor, employer, validation.rows, file_name=name)
    noun = "入职报送" if kind == importer.HIRES else "月工资参保"
    return {
        "validation": validation,
        "message": f"共 {validation.total_rows} 行：{counts.text(noun)}"
        + (f"；{validation.error_rows} 行未导入" if validation.error_rows else "")
        + "。",
        "problems": [(p.row_number, _masked_reasons(p)) for p in validation.problems[:500]],
        "more": max(0, len(validation.problems) - 500),
    }


def _masked_reasons(problem) -> str:
    masked = [
        CellError(e.column, mask_id(str(e.value)) if e.column == rows.ID and e.value else e.value, e.message)
        for e in problem.errors
    ]
    return "；".join(e.describe() for e in masked)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- staff -------------------------------------------------------------------------------------------------


@staff_required
def staff_list(request):
    """The reports about the people of the user's area (matched to the registry), newest first."""
    hires = _latest_wage(Hire.objects.for_user(request.user).select_related("employer", "person", "area"))
    context = paginate(request, _filtered(request, hires).order_by("-started_on", "-id"))
    context.update(
        {
            "statuses": STATUSES,
            "chosen": {k: request.GET.get(k, "") for k in ("status", "q")},
            "nav": "employment",
        }
    )
    return render(request, "workforce/staff_list.html", context)
