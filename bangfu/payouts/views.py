"""补贴发放 pages: the lists of the user's subtree, building one, a list with its lines and the failed-check
filter (failed checks shown before the 审核 button), approving, returning, checking again, the §11 file
(masked unless the user may see full IDs), the bank file (full accounts; right 补贴发放导出), the totals
per sub-area with each level's share, a payee's account, and the two rights. Every page starts from the
user's scope (`for_user`); outsiders get 404."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bangfu.accounts.models import User
from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.access import staff_required
from bangfu.core.views import paginate
from bangfu.employers.models import Employer
from bangfu.payouts import actions, bank, export
from bangfu.payouts.forms import AccountForm, BuildForm, ReturnForm
from bangfu.payouts.kinds import kind as kind_of
from bangfu.payouts.kinds import kinds
from bangfu.payouts.models import FAILURES, Line, PayeeAccount, PayoutList, Result, Right, Status
from bangfu.payouts.periods import parse
from bangfu.payouts.shares import by_level
from bangfu.registry.models import Person
from bangfu.registry.views import _TemporaryDownload

NAV = "payouts"


def _errors(exc) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _lists(request):
    return PayoutList.objects.for_user(request.user).select_related("area")


@staff_required
def list_index(request):
    lists = _lists(request)
    kind, period, status = (
        request.GET.get("kind", ""),
        request.GET.get("period", ""),
        request.GET.get("status", ""),
    )
    if kind:
        lists = lists.filter(kind=kind)
    if period:
        lists = lists.filter(period=period.strip())
    if status in Status.values:
        lists = lists.filter(status=status)
    context = paginate(request, lists.order_by("-built_at", "-id"))
    context.update(
        {
            "kinds": kinds(),
            "statuses": Status.values,
            "kind": kind,
            "period": period,
            "status": status,
            "build_form": BuildForm(initial={"area": request.user.area_id}),
            "rights": _rights(request.user),
            "nav": NAV,
        }
    )
    return render(request, "payouts/list_index.html", context)


def _rights(user) -> dict:
    return {
        "approve": actions.has_right(user, Right.APPROVE),
        "export": actions.has_right(user, Right.EXPORT),
    }


@staff_required
@require_POST
def list_new(request):
    form = BuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(" ".join(e) for e in form.errors.values()))
        return redirect("payouts:list_index")
    area = Area.objects.in_scope(request.user, form.cleaned_data["area"])
    if area is None:
        messages.error(request, "区划代码不存在或不在您的管辖区域内。")
        return redirect("payouts:list_index")
    try:
        payout_list = actions.build(
            request.user, form.cleaned_data["kind"], area, form.cleaned_data["period"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
        return redirect("payouts:list_index")
    messages.success(
        request, f"已生成并校验：{payout_list.lines_count} 人，未通过 {payout_list.failed_count} 人。"
    )
    return redirect("payouts:list_detail", pk=payout_list.pk)


@staff_required
def list_detail(request, pk):
    payout_list = get_object_or_404(_lists(request), pk=pk)
    lines = Line.objects.filter(payout_list=payout_list).order_by("id")
    result = request.GET.get("result", "")
    if result == "failed":
        lines = lines.exclude(result=Result.PASSED)
    elif result in Result.values:
        lines = lines.filter(result=result)
    q = (request.GET.get("q") or "").strip()
    if q:
        lines = lines.filter(Q(name__contains=q) | Q(id_number=q))
    counts = dict(
        Line.objects.filter(payout_list=payout_list).values_list("result").annotate(n=Count("id")).order_by()
    )
    context = paginate(request, lines)
    page_lines = list(context["object_list"])
    accounts = _accounts_of(page_lines)
    for line in page_lines:
        line.account = (
            accounts.get(("p", line.person_id)) if line.person_id else accounts.get(("e", line.employer_id))
        )
    try:
        quantity_label = kind_of(payout_list.kind).quantity_label
    except KeyError:
        quantity_label = ""
    context.update(
        {
            "pl": payout_list,
            "lines": page_lines,
            "result": result,
            "q": q,
            "failures": [(f.value, counts.get(f.value, 0)) for f in FAILURES],
            "failed_total": sum(counts.get(f.value, 0) for f in FAILURES),
            "quantity_label": quantity_label,
            "shares": by_level(payout_list),
            "missing_accounts": _missing_accounts(payout_list),
            "rights": _rights(request.user),
            "return_form": ReturnForm(),
            "nav": NAV,
        }
    )
    return render(request, "payouts/list_detail.html", context)


def _accounts_of(lines) -> dict:
    people = {line.person_id for line in lines if line.person_id}
    employers = {line.employer_id for line in lines if line.employer_id}
    found = {("p", a.person_id): a for a in PayeeAccount.objects.filter(person_id__in=people)}
    found |= {("e", a.employer_id): a for a in PayeeAccount.objects.filter(employer_id__in=employers)}
    return found


def _missing_accounts(payout_list) -> int:
    passed = Line.objects.passed().filter(payout_list=payout_list)
    with_account = passed.filter(
        Q(person__payee_account__isnull=False) | Q(employer__payee_account__isnull=False)
    ).count()
    return passed.count() - with_account


def _act(request, pk, call, done: str):
    payout_list = get_object_or_404(_lists(request), pk=pk)
    try:
        call(payout_list)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, done)
    return redirect("payouts:list_detail", pk=payout_list.pk)


@staff_required
@require_POST
def list_recheck(request, pk):
    return _act(request, pk, lambda pl: actions.recheck(request.user, pl), "已重新校验。")


@staff_required
@require_POST
def list_approve(request, pk):
    return _act(request, pk, lambda pl: actions.approve(request.user, pl), "已审核通过。")


@staff_required
@require_POST
def list_return(request, pk):
    form = ReturnForm(request.POST)
    reason = form.data.get("reason", "")
    return _act(request, pk, lambda pl: actions.return_list(request.user, pl, reason), "已退回。")


@staff_required
def list_file(request, pk):
    """The list as EXCHANGE §11 rows (.xlsx, or .csv with ?format=csv); full ID numbers only for users who
    may see them. Audited."""
    payout_list = get_object_or_404(_lists(request), pk=pk)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    masked = not request.user.can_view_sensitive
    path = _temporary(fmt)
    count = export.write(payout_list, path, masked=masked)
    shown = "证件号码脱敏" if masked else "含完整证件号码"
    audit(
        Action.EXPORT,
        actor=request.user,
        obj=payout_list,
        message=f"导出发放名单 {count} 行（{fmt}，{shown}）",
    )
    name = f"发放名单-{payout_list.item}-{payout_list.period}-{payout_list.area.short_code}.{fmt}"
    return FileResponse(_TemporaryDownload(path, "r"), as_attachment=True, filename=name)


def _temporary(fmt: str) -> Path:
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False) as handle:
        return Path(handle.name)


@staff_required
@require_POST
def list_bank(request, pk):
    """The bank file (full accounts), by a holder of 补贴发放导出; the first one pays the list."""
    payout_list = get_object_or_404(_lists(request), pk=pk)
    try:
        rows, _missing = actions.export_bank(request.user, payout_list)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
        return redirect("payouts:list_detail", pk=payout_list.pk)
    fmt = "csv" if request.POST.get("format") == "csv" else "xlsx"
    path = _temporary(fmt)
    bank.write(rows, path)
    name = f"银行发放文件-{payout_list.item}-{payout_list.period}-{payout_list.area.short_code}.{fmt}"
    return FileResponse(_TemporaryDownload(path, "r"), as_attachment=True, filename=name)


@staff_required
def summary(request):
    """Totals per sub-area of the user's area (or a chosen one) for an item and a period: the lines that
    passed on lists approved or paid, and on lists still waiting for approval; each level's share."""
    area = request.user.area
    if request.GET.get("area"):
        area = Area.objects.in_scope(request.user, request.GET["area"]) or area
    kind, period = request.GET.get("kind", ""), (request.GET.get("period") or "").strip()
    rows, totals, shares, problem = [], None, None, ""
    if kind and period:
        try:
            parse(period, kind_of(kind).period)
        except KeyError:
            kind, problem = "", "未知的补贴项目。"
        except ValidationError as exc:
            problem = _errors(exc)
    if kind and period and not problem:
        lines = Line.objects.for_user(request.user).filter(kind=kind, period=period, result=Result.PASSED)
        low, high = area.code_range
        lines = lines.filter(area_code__gte=low, area_code__lte=high).exclude(
            payout_list__status=Status.RETURNED
        )
        done = Q(payout_list__status__in=(Status.APPROVED, Status.PAID))
        sums = {
            "people": Count("id", filter=done), "money": Sum("amount", filter=done),
            "waiting": Count("id", filter=~done), "waiting_money": Sum("amount", filter=~done),
        }  # fmt: skip
        children = list(Area.objects.filter(parent=area).order_by("code"))
        for child in children:
            c_low, c_high = child.code_range
            got = lines.filter(area_code__gte=c_low, area_code__lte=c_high).aggregate(**sums)
            if got["people"] or got["waiting"]:
                rows.append((child, got))
        totals = lines.aggregate(**sums)
        from bangfu.payouts.shares import split_lines

        shares = split_lines(lines.filter(done), period, kind)
    context = {
        "area": area,
        "kinds": kinds(),
        "kind": kind,
        "period": period,
        "rows": rows,
        "totals": totals,
        "shares": shares,
        "problem": problem,
        "nav": NAV,
    }
    return render(request, "payouts/summary.html", context)


def _account_page(request, *, person=None, employer=None):
    account = (
        PayeeAccount.objects.filter(person=person)
        if person
        else PayeeAccount.objects.filter(employer=employer)
    )
    account = account.first()
    initial = {"card": account.card, "bank": account.bank} if account else {}
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_account(request.user, person=person, employer=employer, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "收款账户已保存。")
            if person is not None:
                return redirect("registry:person_detail", pk=person.pk)
            return redirect("employers:detail", pk=employer.pk)
    payee = person or employer
    return render(
        request, "payouts/account_form.html", {"form": form, "account": account, "payee": payee, "nav": NAV}
    )


@staff_required
def person_account(request, pk):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    return _account_page(request, person=person)


@staff_required
def employer_account(request, pk):
    employer = get_object_or_404(Employer.objects.for_user(request.user), pk=pk)
    return _account_page(request, employer=employer)


@staff_required
def rights(request):
    """Who in the user's subtree holds the two payout rights; a user manager who holds one may pass it on."""
    users = User.objects.for_user(request.user).staff().filter(is_active=True).select_related("area")
    held = {}
    for user_id, right in actions.rights_in(users):
        held.setdefault(user_id, set()).add(right)
    context = paginate(request, users.order_by("area_id", "username"))
    for user in context["object_list"]:
        user.payout_rights_held = held.get(user.pk, set())
        user.manageable = request.user.can_manage(user)
    context.update({"mine": _rights(request.user), "nav": NAV})
    return render(request, "payouts/rights.html", context)


@staff_required
@require_POST
def right_toggle(request, pk):
    user = get_object_or_404(User.objects.for_user(request.user), pk=pk)
    right = request.POST.get("right", "")
    on = request.POST.get("on") == "1"
    try:
        actions.grant(request.user, user, right, on)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"已{'授予' if on else '收回'} {user} 的{Right(right).label}权限。")
    return redirect("payouts:rights")
