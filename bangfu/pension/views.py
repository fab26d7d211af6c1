"""社保扶贫 pages: the year's 养老保险代缴 roster with each level's share by child area (its file, and its
confirmation through the payout core), the 60+ ledger with the people about to reach the pension age, and
the three rates against their targets with the list behind each number. Every page starts from the user's
scope; an area typed into a filter outside it is not found."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.access import staff_required
from bangfu.core.params import as_int
from bangfu.core.views import paginate
from bangfu.payouts import actions as payout_actions
from bangfu.payouts.models import PayoutList, Status
from bangfu.pension import ageing, rates, roster
from bangfu.registry.views import _TemporaryDownload
from bangfu.stats import figures

NAV = "pension"


def _area(request) -> Area:
    """The area asked for (?area=), inside the user's subtree; else the user's own. Outside it: 404."""
    raw = (request.GET.get("area") or request.POST.get("area") or "").strip()
    if not raw:
        return request.user.area
    found = Area.objects.in_scope(request.user, raw)
    if found is None:
        raise Http404("区划代码不存在或不在您的管辖区域内。")
    return found


def _year(request) -> int:
    today = timezone.localdate()
    year = as_int(request.GET.get("year") or request.POST.get("year"), 2000, today.year + 1)
    return year if year is not None else today.year


def _day(request) -> dt.date:
    try:
        day = dt.date.fromisoformat((request.GET.get("date") or "").strip())
    except ValueError:
        return timezone.localdate()
    return min(day, timezone.localdate())


# -- 养老保险代缴 --------------------------------------------------------------------------------------------


@staff_required
def roster_page(request):
    area, year = _area(request), _year(request)
    children, whole = roster.totals(area, year, figures.children_of(area))
    people = roster.eligible(area, year).select_related("area").order_by("area_id", "id")
    group = request.GET.get("group", "")
    if group in roster.GROUP_NAMES:
        people = people.filter(group=group)
    context = paginate(request, people)
    price = roster.Pricing(area, year)
    lines = []
    for person in context["object_list"]:
        amount, split = price(person.area_id)
        lines.append((person, amount, split))
    lists = PayoutList.objects.for_user(request.user).filter(
        kind=roster.KIND.key, period=str(year), area=area
    )
    context.update(
        {
            "area": area,
            "year": year,
            "children": children,
            "whole": whole,
            "group": group,
            "groups": roster.GROUP_NAMES,
            "lines": lines,
            "payout_lists": lists.exclude(status=Status.RETURNED).order_by("-id")[:5],
            "nav": NAV,
        }
    )
    return render(request, "pension/roster.html", context)


@staff_required
def roster_export(request):
    """The roster as EXCHANGE §12 rows (.xlsx, or .csv with ?format=csv); full ID numbers only for users who
    may see them. Audited."""
    area, year = _area(request), _year(request)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    masked = not request.user.can_view_sensitive
    from bangfu.payouts.views import _temporary

    path = _temporary(fmt)
    count = roster.write(area, year, path, masked=masked)
    shown = "证件号码脱敏" if masked else "含完整证件号码"
    audit(
        Action.EXPORT, actor=request.user, area_code=area.code,
        message=f"导出 {year} 年养老保险代缴名单 {count} 行（{fmt}，{shown}）",
    )  # fmt: skip
    name = f"养老保险代缴名单-{year}-{area.short_code}.{fmt}"
    return FileResponse(_TemporaryDownload(path, "r"), as_attachment=True, filename=name)


@staff_required
@require_POST
def roster_confirm(request):
    """确认代缴: the year's list built and checked by the payout core (已故, 重复发放, 不符合条件), then
    approved on its page by a holder of 补贴发放审核."""
    area, year = _area(request), _year(request)
    try:
        payout_list = payout_actions.build(request.user, roster.KIND.key, area, str(year))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(f"{reverse('pension:roster')}?area={area.code}&year={year}")
    messages.success(
        request,
        f"已生成并校验代缴名单：{payout_list.lines_count} 人，通过 {payout_list.passed_count} 人，"
        f"未通过 {payout_list.failed_count} 人。审核通过后方可拨付。",
    )
    return redirect("payouts:list_detail", pk=payout_list.pk)


# -- 60 岁以上台账 -------------------------------------------------------------------------------------------


@staff_required
def ageing_page(request):
    area, on = _area(request), timezone.localdate()
    year = _year(request)
    tab = "upcoming" if request.GET.get("tab") == "upcoming" else "ledger"
    whole = ageing.ledger(area, year, on)
    counts = ageing.counts(whole)
    late = ageing.overdue(whole, on, area)
    if tab == "upcoming":
        people = ageing.upcoming(area, on)
    else:
        people = whole
        need = request.GET.get("need", "")
        if need in ageing.NEEDS:
            people = people.filter(need=need)
        if request.GET.get("overdue") == "1":
            people = ageing.overdue(people, on, area)
    people = ageing.with_follow_up(people.select_related("area")).order_by("birth_date", "id")
    context = paginate(request, people)
    context.update(
        {
            "area": area,
            "year": year,
            "tab": tab,
            "counts": counts,
            "overdue_count": late.count(),
            "upcoming_count": ageing.upcoming(area, on).count(),
            "need": request.GET.get("need", ""),
            "needs": ageing.NEEDS,
            "only_overdue": request.GET.get("overdue") == "1",
            "entries": ageing.entries(context["object_list"], on),
            "today": on,
            "nav": NAV,
        }
    )
    return render(request, "pension/ageing.html", context)


# -- 参保率 ----------------------------------------------------------------------------------------------


@staff_required
def rates_page(request):
    area, on = _area(request), _day(request)
    rows, total = rates.table(area, on)
    context = {
        "area": area,
        "on": on,
        "rows": rows,
        "total": total,
        "rates": figures.INSURANCE_RATES,
        "nav": NAV,
    }
    return render(request, "pension/rates.html", context)


@staff_required
def rate_people(request):
    """The list behind a rate (?rate=KEY): who is in the base and not counted (not enrolled, not paid)."""
    key = request.GET.get("rate", "")
    if key not in figures.INSURANCE_RATE_KEYS:
        raise Http404("没有这个指标。")
    area, on = _area(request), _day(request)
    which = figures.insurance_rate(key)
    people = (
        figures.insurance_missing(key, area, on).select_related("area", "household").order_by("area_id", "id")
    )
    if request.GET.get("format") == "csv":
        return _rate_file(request, which, area, on, people)
    context = paginate(request, people)
    context.update({"area": area, "on": on, "rate": which, "nav": NAV})
    return render(request, "pension/rate_people.html", context)


def _rate_file(request, which, area, on, people):
    from bangfu.core.idnumber import mask_id
    from bangfu.exchange.report import write_table
    from bangfu.payouts.views import _temporary

    masked = not request.user.can_view_sensitive
    header = [
        "证件号码",
        "姓名",
        "户类型",
        "所在村",
        "养老保险险种",
        "养老保险参保状态",
        "医保参保年度",
        "医保参保状态",
    ]
    values = people.values_list(
        "id_number", "name", "household__household_type", "area__name", "pension_insurance", "pension_status",
        "medical_insured_year", "medical_status",
    )  # fmt: skip
    body = (
        [mask_id(row[0]) if masked else row[0], *("" if v is None else v for v in row[1:])]
        for row in values.iterator(chunk_size=5000)
    )
    path = _temporary("csv")
    count = write_table(path, header, body)
    shown = "证件号码脱敏" if masked else "含完整证件号码"
    message = f"导出{which.missing_name}（{which.name}，{on}）{count} 行（{shown}）"
    audit(Action.EXPORT, actor=request.user, area_code=area.code, message=message)
    name = f"{which.missing_name}-{on}-{area.short_code}.csv"
    return FileResponse(_TemporaryDownload(path, "r"), as_attachment=True, filename=name)


# -- 医疗负担 --------------------------------------------------------------------------------------------


@staff_required
def burden_page(request):
    """People whose personal burden this year passes the 医疗负担预警 line of their area, and the year's
    settlements that seem to have missed the 医疗倾斜政策 (the estimator's shortfall)."""
    from bangfu.pension import estimate, settlements
    from bangfu.pension.models import MedicalPreferenceRule, Settlement

    area, year = _area(request), _year(request)
    heavy = settlements.burdens(area, year)
    book = MedicalPreferenceRule.objects.book(dt.date(year, 12, 31), within=area)
    year_settlements = (
        Settlement.objects.for_area(area)
        .filter(settled_on__year=year, care_kind__in=("住院", "门诊慢特病"))
        .select_related("person", "area")
        .order_by("-settled_on", "-id")
    )
    missed = []
    for each in year_settlements[:2000]:
        found = estimate.estimate(each, book.for_code(each.area_id))
        if found is not None and found.missed:
            missed.append((each, found))
    context = {
        "area": area,
        "year": year,
        "heavy": heavy,
        "missed": missed[:200],
        "missed_count": len(missed),
        "settlement_count": Settlement.objects.for_area(area).filter(settled_on__year=year).count(),
        "nav": NAV,
    }
    return render(request, "pension/burden.html", context)


@staff_required
def burden_export(request):
    """The heavy burdens as a file for the poverty department; full ID numbers only for users who may see
    them. Audited."""
    from bangfu.payouts.views import _temporary
    from bangfu.pension import settlements

    area, year = _area(request), _year(request)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    masked = not request.user.can_view_sensitive
    path = _temporary(fmt)
    count = settlements.write(area, year, path, masked=masked)
    shown = "证件号码脱敏" if masked else "含完整证件号码"
    message = f"导出 {year} 年医疗负担名单 {count} 行（{fmt}，{shown}）"
    audit(Action.EXPORT, actor=request.user, area_code=area.code, message=message)
    name = f"医疗负担名单-{year}-{area.short_code}.{fmt}"
    return FileResponse(_TemporaryDownload(path, "r"), as_attachment=True, filename=name)
