"""Pages of entrepreneurship (创业): the area's ventures with the year's figures, a venture with its loans
and incubator stays, a loan with its interest-subsidy schedule and repayments, the incubators and parks
with their residents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.areas.models import Area
from bangfu.core.access import staff_required
from bangfu.core.views import paginate
from bangfu.registry.models import Person
from bangfu.stats import figures as stats
from bangfu.ventures import actions, interest
from bangfu.ventures.filters import VentureFilter
from bangfu.ventures.forms import (
    CloseForm,
    IncubatorForm,
    JobsForm,
    LoanForm,
    MoveOutForm,
    RepaymentForm,
    ResidencyForm,
    StatusForm,
    VentureForm,
)
from bangfu.ventures.models import Incubator, InterestRule, Loan, Residency, Venture
from bangfu.ventures.payout import subsidy_of, terms

NAV = "ventures"


def _messages(exc) -> str:
    return "；".join(getattr(exc, "messages", [str(exc)]))


def _area(request) -> Area:
    code = (request.GET.get("area") or "").strip()
    if code and code.isascii() and code.isdigit() and len(code) <= 12:
        return get_object_or_404(Area.objects.for_user(request.user), code=code.ljust(12, "0"))
    return request.user.area


@staff_required
def index(request):
    area = _area(request)
    today = timezone.localdate()
    listed = (
        Venture.objects.for_user(request.user).for_area(area).select_related("person", "area", "employer")
    )
    filterset = VentureFilter(request.GET, queryset=listed)
    listed = filterset.qs if filterset.is_valid() else listed.none()
    context = paginate(request, listed.order_by("-started_on", "-id"), per_page=30)
    values = stats.values([area], today)[area.code]
    context.update(
        {
            "nav": NAV,
            "area": area,
            "filter": filterset,
            "today": today,
            "cards": [(stats.figure(key), values[key]) for key in ("entrepreneurs", "jobs_created")],
        }
    )
    return render(request, "ventures/index.html", context)


@staff_required
def venture_new(request):
    form = VentureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        number = data.pop("id_number").strip().upper()
        person = Person.objects.for_user(request.user).filter(id_number=number).first()
        if person is None:
            form.add_error("id_number", "您管辖区域的名册中没有此证件号码。")
        else:
            try:
                venture = actions.register_venture(request.user, person, **data)
                return redirect("ventures:detail", pk=venture.pk)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _messages(exc))
    return render(request, "ventures/form.html", {"nav": NAV, "form": form, "title": "登记创业"})


def _venture(request, pk: int) -> Venture:
    return get_object_or_404(
        Venture.objects.for_user(request.user).select_related("person", "area", "employer"), pk=pk
    )


@staff_required
def detail(request, pk: int):
    venture = _venture(request, pk)
    context = {
        "nav": NAV,
        "venture": venture,
        "loans": Loan.objects.for_user(request.user).filter(venture=venture),
        "stays": Residency.objects.for_user(request.user).filter(venture=venture).select_related("incubator"),
        "jobs_form": JobsForm(initial={"jobs": venture.jobs, "credit_code": venture.credit_code}),
        "close_form": CloseForm(),
        "loan_form": LoanForm(),
    }
    return render(request, "ventures/detail.html", context)


def _post(request, form, done, pk_redirect, success: str):
    if form.is_valid():
        try:
            done(form.cleaned_data)
            messages.success(request, success)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _messages(exc))
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(*pk_redirect)


@staff_required
@require_POST
def jobs(request, pk: int):
    venture = _venture(request, pk)
    return _post(
        request,
        JobsForm(request.POST),
        lambda d: actions.report_jobs(request.user, venture, d["jobs"], d["credit_code"]),
        ("ventures:detail", venture.pk),
        "已更新带动就业人数。",
    )


@staff_required
@require_POST
def close(request, pk: int):
    venture = _venture(request, pk)
    return _post(
        request,
        CloseForm(request.POST),
        lambda d: actions.close_venture(request.user, venture, d["closed_on"]),
        ("ventures:detail", venture.pk),
        "已登记停业。",
    )


@staff_required
@require_POST
def loan_new(request, pk: int):
    venture = _venture(request, pk)
    return _post(
        request,
        LoanForm(request.POST),
        lambda d: actions.grant_loan(request.user, venture, **d),
        ("ventures:detail", venture.pk),
        "已登记贷款。",
    )


def _loan(request, pk: int) -> Loan:
    return get_object_or_404(Loan.objects.for_user(request.user).select_related("venture__person"), pk=pk)


@staff_required
def loan_detail(request, pk: int):
    loan = _loan(request, pk)
    today = timezone.localdate()
    rule = InterestRule.objects.in_force(loan.area_id, today)
    payments = list(loan.repayments.all())
    months = interest.schedule(terms(loan), subsidy_of(rule), [(p.paid_on, p.principal) for p in payments])
    context = {
        "nav": NAV,
        "loan": loan,
        "rule": rule,
        "months": months,
        "payments": payments,
        "today": today,
        "repay_form": RepaymentForm(),
        "status_form": StatusForm(initial={"status": loan.status}),
        "subsidy_total": sum(m.subsidy for m in months if m.ends <= today),
    }
    return render(request, "ventures/loan_detail.html", context)


@staff_required
@require_POST
def repay(request, pk: int):
    loan = _loan(request, pk)
    return _post(
        request,
        RepaymentForm(request.POST),
        lambda d: actions.repay(request.user, loan, **d),
        ("ventures:loan_detail", loan.pk),
        "已登记还款。",
    )


@staff_required
@require_POST
def loan_status(request, pk: int):
    loan = _loan(request, pk)
    return _post(
        request,
        StatusForm(request.POST),
        lambda d: actions.set_loan_status(request.user, loan, d["status"], d["status_on"]),
        ("ventures:loan_detail", loan.pk),
        "已更新贷款状态。",
    )


@staff_required
def incubators(request):
    form = IncubatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incubator = actions.create_incubator(request.user, area=request.user.area, **form.cleaned_data)
            return redirect("ventures:incubator_detail", pk=incubator.pk)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _messages(exc))
    listed = Incubator.objects.for_user(request.user).select_related("area").order_by("area_id", "name")
    context = paginate(request, listed, per_page=50)
    context.update({"nav": NAV, "form": form})
    return render(request, "ventures/incubators.html", context)


def _incubator(request, pk: int) -> Incubator:
    return get_object_or_404(Incubator.objects.for_user(request.user), pk=pk)


@staff_required
def incubator_detail(request, pk: int):
    incubator = _incubator(request, pk)
    stays = (
        Residency.objects.for_user(request.user).filter(incubator=incubator).select_related("venture__person")
    )
    context = {
        "nav": NAV,
        "incubator": incubator,
        "stays": stays,
        "form": ResidencyForm(),
        "out_form": MoveOutForm(),
        "today": timezone.localdate(),
    }
    return render(request, "ventures/incubator_detail.html", context)


@staff_required
@require_POST
def move_in(request, pk: int):
    incubator = _incubator(request, pk)

    def done(d):
        venture = Venture.objects.for_user(request.user).filter(pk=d["venture"]).first()
        if venture is None:
            raise ValidationError("您管辖区域内没有这个创业实体编号。")
        actions.move_in(
            request.user,
            incubator,
            venture,
            moved_in=d["moved_in"],
            free_rent=d["free_rent"],
            free_until=d["free_until"],
        )

    return _post(
        request, ResidencyForm(request.POST), done, ("ventures:incubator_detail", incubator.pk), "已入驻。"
    )


@staff_required
@require_POST
def move_out(request, pk: int):
    stay = get_object_or_404(Residency.objects.for_user(request.user), pk=pk)
    return _post(
        request,
        MoveOutForm(request.POST),
        lambda d: actions.move_out(request.user, stay, d["moved_out"]),
        ("ventures:incubator_detail", stay.incubator_id),
        "已退出。",
    )
