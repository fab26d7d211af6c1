"""Referral pages: the staff's list, detail with the step timeline, referring from a match, the service
norms (服务达标) by area with who is behind; and the enterprise portal (推荐回复), where an enterprise
account sees and answers referrals to its own jobs only."""

import json
import tempfile
from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bangfu.accounts.models import Kind
from bangfu.areas.models import Area, normalize_code
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.access import staff_required
from bangfu.core.params import as_ids, as_int
from bangfu.core.views import paginate
from bangfu.exchange.report import write_table
from bangfu.jobs.models import Job
from bangfu.referrals import actions, norms
from bangfu.referrals.filters import ReferralFilter
from bangfu.referrals.forms import EmployerAnswerForm, InterviewForm, ServiceForm, StepForm
from bangfu.referrals.models import EMPLOYER_ANSWERS, Referral, ServiceKind, Status, StepChannel
from bangfu.registry.models import Person
from bangfu.registry.views import _styled

EMPLOYER_ONLY = "该页面仅供用人单位账号使用。"


def enterprise_required(view):
    """login_required, then a 403 in Chinese for accounts that are not enterprise accounts."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if request.user.kind != Kind.ENTERPRISE or not request.user.is_active:
            raise PermissionDenied(EMPLOYER_ONLY)
        return view(request, *args, **kwargs)

    return wrapper


def _safe_next(request, fallback: str) -> str:
    """The page to go back to, when it is on this site."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _error_text(exc) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@staff_required
def referral_list(request):
    referrals = Referral.objects.for_user(request.user).select_related(
        "person", "area", "job", "job__employer", "job__area"
    )
    filterset = _styled(
        ReferralFilter(request.GET, queryset=referrals),
        {"q": "姓名、首字母或证件号后几位", "area": "如 433124102"},
    )
    context = paginate(request, filterset.qs.order_by("-created_at", "-id"))
    context.update({"filter": filterset, "nav": "referrals", "tab": "list", "statuses": Status.choices})
    return render(request, "referrals/referral_list.html", context)


def _scoped_referral(request, pk: int) -> Referral:
    return get_object_or_404(
        Referral.objects.for_user(request.user).select_related(
            "person", "person__area", "job", "job__employer", "job__area", "referred_by", "fair"
        ),
        pk=pk,
    )


def _detail(request, referral: Referral, step_form=None, interview_form=None):
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "steps": referral.steps.select_related("by"),
            "interviews": referral.interviews.all(),
            "step_form": step_form or StepForm(),
            "interview_form": interview_form or InterviewForm(),
            "nav": "referrals",
        },
    )


@staff_required
def referral_detail(request, pk: int):
    return _detail(request, _scoped_referral(request, pk))


def _step_options(data: dict) -> dict:
    """The keyword arguments of `actions.advance` from a valid StepForm or EmployerAnswerForm."""
    return {
        "note": data["note"],
        "on": data.get("on"),
        "started_on": data["started_on"],
        "interview_at": data["interview_at"],
        "online": bool(data["online"]),
        "venue": data["venue"],
        "reason": data.get("reason", ""),
        "monthly_wage": data.get("monthly_wage"),
    }


@staff_required
@require_POST
def referral_step(request, pk: int):
    """A step from the referral page. A form with mistakes (no interview time, no reason) comes back with
    what was typed; a step the table forbids (the page was stale) is refused with the reason."""
    referral = _scoped_referral(request, pk)
    refused = actions.refusal(referral.status, request.POST.get("status", ""))
    if refused:  # a page older than the referral's last step: say what the table says, first
        messages.error(request, refused)
        return redirect("referrals:detail", pk=referral.pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请补全“" + form.cleaned_data.get("status", "") + "”所需的内容。")
        return _detail(request, referral, step_form=form)
    status = form.cleaned_data["status"]
    try:
        actions.advance(request.user, referral, status, **_step_options(form.cleaned_data))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"推荐状态已改为“{status}”。")
    return redirect("referrals:detail", pk=referral.pk)


@staff_required
@require_POST
def referral_interview(request, pk: int):
    """Another interview of a referral at 面试 (or the step to 面试, when the page was older)."""
    referral = _scoped_referral(request, pk)
    form = InterviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, interview_form=form)
    data = form.cleaned_data
    try:
        interview = actions.schedule_interview(
            request.user, referral, scheduled_at=data["interview_at"], online=bool(data["online"]),
            venue=data["venue"], note=data["note"],
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        link = f"，会议链接：{interview.meeting_url}" if interview.online else ""
        messages.success(request, f"已安排面试（{interview.where}）{link}，并已通知劳动力和用人单位。")
    return redirect("referrals:detail", pk=referral.pk)


def _reasons(raw: list[str]) -> list[str]:
    """Reasons as the matching page posts them: repeated fields, or one JSON list."""
    if len(raw) == 1 and raw[0].startswith("["):
        try:
            return [str(r) for r in json.loads(raw[0])]
        except ValueError:
            pass
    return [r for r in raw if r.strip()]


@staff_required
@require_POST
def referral_create(request):
    """Refers a laborer to a job (the matching page posts person, job, score, reasons here)."""
    person = get_object_or_404(Person.objects.for_user(request.user), pk=request.POST.get("person") or 0)
    job = get_object_or_404(
        Job.objects.postings_for(request.user).select_related("employer", "area"),
        pk=request.POST.get("job") or 0,
    )
    try:
        score = float(request.POST["score"]) if request.POST.get("score") else None
    except ValueError:
        score = None
    try:
        referral = actions.create_referral(
            request.user, person, job, score=score, reasons=_reasons(request.POST.getlist("reasons"))
        )
    except (ValidationError, PermissionDenied) as exc:
        if request.headers.get("HX-Request"):
            return HttpResponse(format_html('<span class="text-danger small">{}</span>', _error_text(exc)))
        messages.error(request, _error_text(exc))
        return redirect(_safe_next(request, reverse("registry:person_detail", kwargs={"pk": person.pk})))
    if request.headers.get("HX-Request"):
        return HttpResponse(
            format_html(
                '<a class="badge text-bg-success" href="{}">已推荐</a>',
                reverse("referrals:detail", kwargs={"pk": referral.pk}),
            )
        )
    messages.success(request, f"已推荐 {person.name} 到“{job.title}”，并已通知劳动力和用人单位。")
    return redirect("referrals:detail", pk=referral.pk)


# ---- 311 service records and norms ----


@staff_required
@require_POST
def person_service(request, pk: int):
    """Records a career-guidance session or training notice from the person's page."""
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    form = ServiceForm(request.POST)
    if form.is_valid():
        actions.record_services(
            request.user, [person], kind=form.cleaned_data["kind"], on=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
        )  # fmt: skip
        messages.success(request, f"已登记{form.cleaned_data['kind']}。")
    else:
        messages.error(
            request, "服务记录有误：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect("registry:person_detail", pk=person.pk)


@staff_required
@require_POST
def services_bulk(request):
    """The same service for the laborers ticked in the list of who is behind."""
    form = ServiceForm(request.POST)
    ids = as_ids(request.POST.getlist("person"))
    back = _safe_next(request, reverse("referrals:norms"))
    if not form.is_valid() or not ids:
        messages.error(request, "请选择人员并填写服务类型和日期。")
        return redirect(back)
    people = list(Person.objects.for_user(request.user).filter(pk__in=ids))
    if len(people) != len(set(ids)):
        raise Http404("有人员不存在或不在您的管辖区域内。")
    count = actions.record_services(
        request.user, people, kind=form.cleaned_data["kind"], on=form.cleaned_data["date"],
        note=form.cleaned_data["note"],
    )  # fmt: skip
    messages.success(request, f"已为 {count} 人登记{form.cleaned_data['kind']}。")
    return redirect(back)


def norm_area(request) -> Area:
    """The area asked for (?area=), resolved inside the user's subtree; the user's own area by default."""
    raw = request.GET.get("area", "")
    if not raw:
        return request.user.area
    try:
        code = normalize_code(raw)
    except ValueError as exc:
        raise Http404("区域代码有误。") from exc
    return get_object_or_404(Area.objects.for_user(request.user), code=code)


def norm_year(request) -> int:
    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return as_int(raw, 2015, this_year) or this_year


@staff_required
def norms_page(request):
    area, year = norm_area(request), norm_year(request)
    rows, total, norm = norms.norm_table(area, year)
    sort = request.GET.get("sort", "code") if request.GET.get("sort") in norms.SORTS else "code"
    rows = norms.sort_rows(rows, sort)
    return render(
        request,
        "referrals/norms.html",
        {
            "area": area,
            "year": year,
            "years": range(timezone.localdate().year, 2019, -1),
            "rows": rows,
            "total": total,
            "norm": norm,
            "has_children": rows and rows[0].area != area,
            "sort": sort,
            "no_laborers": norms.NO_LABORERS,
            "sorts": norms.SORTS,
            "trail": [a for a in area.ancestors() if request.user.area.contains(a.code)] + [area],
            "nav": "referrals",
            "tab": "norms",
        },
    )


@staff_required
def norms_behind(request):
    area, year = norm_area(request), norm_year(request)
    people, norm = norms.behind(area, year)
    context = paginate(request, people)
    context.update(
        {
            "area": area,
            "year": year,
            "norm": norm,
            "service_form": ServiceForm(),
            "kinds": ServiceKind.choices,
            "nav": "referrals",
            "tab": "norms",
        }
    )
    return render(request, "referrals/norms_behind.html", context)


@staff_required
def norms_export(request):
    """The norm table (or, with ?what=behind, the list of who is behind, IDs masked) as xlsx or csv."""
    area, year = norm_area(request), norm_year(request)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    if request.GET.get("what") == "behind":
        people, _ = norms.behind(area, year)
        header = ["区划代码", "所在村", "姓名", "证件号码", "联系电话", "推荐次数", "职业指导", "培训信息"]
        rows = (
            [
                p.area_id,
                p.area.name,
                p.name,
                p.masked_id,
                p.masked_phone,
                p.n_referrals,
                p.n_guidance,
                p.n_training,
            ]
            for p in people.iterator(chunk_size=2000)
        )
        name = f"311服务未达标名单-{area.name}-{year}.{fmt}"
    else:
        table, total, _ = norms.norm_table(area, year)
        header = ["区划代码", "区域", "求职劳动力", "提供岗位达标", "311服务达标", "未达标", "达标率%"]
        rows = [
            [
                r.area.code,
                r.area.name,
                r.seekers,
                r.offered,
                r.complete,
                r.behind,
                norms.NO_LABORERS if r.percent is None else r.percent,
            ]
            for r in [*table, total]
        ]
        name = f"服务达标-{area.name}-{year}.{fmt}"
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False) as handle:
        path = Path(handle.name)
    count = write_table(path, header, rows)
    audit(Action.EXPORT, actor=request.user, area_code=area.code, message=f"导出{name}（{count} 行）")
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    response = HttpResponse(
        data,
        content_type="text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# ---- the enterprise portal ----


def _portal_referral(request, pk: int) -> Referral:
    return get_object_or_404(
        Referral.objects.for_employer_account(request.user).select_related("person", "job", "job__employer"),
        pk=pk,
    )


@enterprise_required
def portal(request):
    referrals = Referral.objects.for_employer_account(request.user).select_related(
        "person", "job", "job__employer", "job__area"
    )
    status = request.GET.get("status", "")
    if status in Status.values:
        referrals = referrals.filter(status=status)
    context = paginate(request, referrals.order_by("-created_at", "-id"))
    context.update({"statuses": Status.choices, "status": status, "nav": "portal"})
    return render(request, "referrals/portal_list.html", context)


def _portal_detail(request, referral: Referral, form=None):
    return render(
        request,
        "referrals/portal_detail.html",
        {
            "referral": referral,
            "steps": referral.steps.all(),
            "interviews": referral.interviews.all(),
            "form": form or EmployerAnswerForm(),
            "answers": [s for s in referral.next_statuses if s in EMPLOYER_ANSWERS],
            "nav": "portal",
        },
    )


@enterprise_required
def portal_detail(request, pk: int):
    return _portal_detail(request, _portal_referral(request, pk))


@enterprise_required
@require_POST
def portal_step(request, pk: int):
    referral = _portal_referral(request, pk)
    answer = request.POST.get("status", "")
    refused = actions.refusal(referral.status, answer) if answer in EMPLOYER_ANSWERS else ""
    if refused:  # the page was older than the referral's last step
        messages.error(request, refused)
        return redirect("referrals:portal_detail", pk=referral.pk)
    form = EmployerAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "答复有误：" + "；".join(e for errs in form.errors.values() for e in errs))
        return _portal_detail(request, referral, form=form)
    status = form.cleaned_data["status"]
    try:
        actions.advance(
            request.user, referral, status, channel=StepChannel.EMPLOYER, **_step_options(form.cleaned_data)
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"已答复：{status}。")
    return redirect("referrals:portal_detail", pk=referral.pk)


@enterprise_required
@require_POST
def portal_phone(request, pk: int):
    """The laborer's phone, for the employer once interested (有意向 and later); each showing audited."""
    referral = _portal_referral(request, pk)
    if not referral.phone_visible_to_employer:
        raise PermissionDenied("表示“有意向”后才能查看劳动力的联系电话。")
    audit(
        Action.VIEW_SENSITIVE, actor=request.user, obj=referral.person, message="用人单位查看被推荐劳动力电话"
    )
    return HttpResponse(format_html('<span class="mono">{}</span>', referral.person.phone or "（未登记）"))
