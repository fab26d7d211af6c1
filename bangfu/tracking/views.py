"""Tracking pages. Follow-up visits: the due list (most overdue first), the phone-first visit form, the
visits list, the 联系不上 list with its export, and the visits file import. Warnings (预警) as work: the
list of the user's subtree (above a village it counts the overdue ones below), its export, a warning's page
to act on it from a phone, and who answers for a person or a household (帮扶责任人). The 三线 table with
the lists behind its numbers and its export. Every page starts from the user's scope (`for_user`), except
the receiving area's, which start from the narrow receiving read (`tracking/receiving.py`)."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bangfu.areas.models import Area, normalize_code
from bangfu.audit.batches import report_response
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.access import staff_required
from bangfu.core.idnumber import IdNumberError, mask_id, mask_phone, parse_id_number
from bangfu.core.params import as_int
from bangfu.core.problems import batch_errors
from bangfu.core.views import paginate
from bangfu.employment.models import EmploymentRecord
from bangfu.exchange.report import excel_overflow, write_table
from bangfu.registry.filters import search_q
from bangfu.registry.models import Household, Person
from bangfu.registry.views import _styled, _TemporaryDownload
from bangfu.tracking import actions, due, export, figures, importer, receiving
from bangfu.tracking.filters import WarningFilter
from bangfu.tracking.forms import (
    AssignForm,
    CloseForm,
    ConfirmForm,
    FlagForm,
    HelpForm,
    ResponsibleForm,
    VisitForm,
    VisitImportForm,
)
from bangfu.tracking.models import (
    OPEN_STATUSES,
    Confirmation,
    Unreachable,
    Visit,
    VisitImport,
    VisitMethod,
    VisitResult,
    VisitSource,
    Warning,
)
from bangfu.tracking.tasks import run_visit_import_task

logger = logging.getLogger(__name__)
INLINE_IMPORT_LIMIT = 1024 * 1024  # larger files go to the background worker
DUE_PER_PAGE = 30
LIST_FROM_LEVEL = 5  # villages list their due laborers; above, a sub-area is chosen first


def _sub_area(request) -> Area | None:
    """The sub-area chosen with `?area=` (a code of the user's subtree), or None for the whole of it.
    Raises Http404 for a code outside the subtree or unknown."""
    raw = (request.GET.get("area") or "").strip()
    if not raw:
        return None
    try:
        code = normalize_code(raw)
    except ValueError:
        raise Http404("没有这个区域。") from None
    area = Area.objects.for_user(request.user).filter(code=code).first()
    if area is None:
        raise Http404("没有这个区域。")
    return area


def _children(area: Area, user) -> list[Area]:
    return list(Area.objects.for_user(user).current().filter(parent=area).order_by("code"))


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# -- the due list ----------------------------------------------------------------------------------------


@staff_required
def due_list(request):
    """Laborers due a visit, most overdue first, per village: above a village the user picks one first. A
    village is the unit visited, and its list is read whole to be sorted (a township's 跟踪逾期 across its
    villages is the warnings list, which is kept by the scan)."""
    today = timezone.localdate()
    chosen = _sub_area(request)
    here = chosen or request.user.area
    listed = here.level >= LIST_FROM_LEVEL
    entries = []
    if listed:
        work = request.GET.get("work")
        entries = due.due_list(
            Person.objects.for_user(request.user).for_area(here),
            today,
            in_work={"1": True, "0": False}.get(work),
        )
    context = paginate(request, entries, per_page=DUE_PER_PAGE)
    page = list(context["object_list"])
    people = Person.objects.select_related("area").in_bulk([e.person_id for e in page])
    results = due.last_results([e.person_id for e in page], today) if page else {}
    shown = []
    for entry in page:
        person = people[entry.person_id]
        person.due = entry
        person.overdue_days = (today - entry.due_on).days
        person.last_result = results.get(entry.person_id, "")
        shown.append(person)
    context["object_list"] = shown
    context.update(
        {
            "today": today,
            "chosen": chosen,
            "here": here,
            "listed": listed,
            "children": [] if here.level >= 5 else _children(here, request.user),
            "work": request.GET.get("work") or "",
            "back": request.get_full_path(),
            "nav": "tracking",
            "tab": "due",
        }
    )
    return render(request, "tracking/due_list.html", context)


# -- visits ----------------------------------------------------------------------------------------------


@staff_required
def visit_new(request, pk: int):
    """The visit form, phone first: the person's situation on top, big buttons for the way and the result."""
    person = get_object_or_404(
        Person.objects.for_user(request.user).select_related("area", "household"), pk=pk
    )
    back = _safe_next(request, reverse("registry:person_detail", kwargs={"pk": person.pk}))
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = actions.record_visit(
                request.user, person, visited_on=data["visited_on"], method=data["method"],
                result=data["result"], note=data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            for text in _outcome_messages(person, outcome):
                messages.success(request, text)
            if outcome.unrecorded_work:
                messages.warning(
                    request,
                    "回访结果为在岗，但当天没有在岗的就业记录。请登记这段就业（单位、工作地、入职日期），"
                    "务工状态按就业记录确定；不登记也可返回，回访已保存。",
                )
                return redirect(f"{reverse('employment:create', kwargs={'pk': person.pk})}")
            return redirect(back)
    today = timezone.localdate()
    context = {
        "person": person,
        "form": form,
        "clock": due.clock_of(person, today),
        "today": today,
        "records": EmploymentRecord.objects.filter(due.in_force_on(today), person=person).order_by(
            "-started_on"
        )[:3],
        "visits": Visit.objects.filter(person=person).select_related("by")[:3],
        "flag": Unreachable.objects.filter(person=person, cleared_at__isnull=True).first(),
        "back": back,
        "nav": "tracking",
    }
    return render(request, "tracking/visit_form.html", context)


def _outcome_messages(person: Person, outcome: actions.VisitOutcome) -> list[str]:
    visit = outcome.visit
    said = f"{visit.visited_on:%Y-%m-%d} {visit.method}：{visit.result}"
    if not outcome.changed:
        return [f"{person.name} 的这次回访（{said}）已经登记过，没有变化。"]
    texts = [f"已{'登记' if outcome.created else '更新'} {person.name} 的回访（{said}）。"]
    for record in outcome.ended:
        texts.append(
            f"已结束就业记录：{record.employer_name or '单位不详'}（{record.started_on:%Y-%m-%d} 入职），"
            f"离职日期 {record.ended_on:%Y-%m-%d}，原因 {record.end_reason}。"
        )
    if outcome.flagged:
        texts.append(f"已将 {person.name} 列入联系不上名单。")
    if outcome.cleared:
        texts.append(f"已将 {person.name} 移出联系不上名单。")
    return texts


@staff_required
def visit_list(request):
    visits = Visit.objects.for_user(request.user).select_related("person", "area", "by")
    chosen = _sub_area(request)
    if chosen is not None:
        visits = visits.for_area(chosen)
    filters = {
        "q": (request.GET.get("q") or "").strip(),
        "result": request.GET.get("result") or "",
        "method": request.GET.get("method") or "",
    }
    if filters["q"]:
        visits = visits.filter(search_q(filters["q"], prefix="person__"))
    if filters["result"] in VisitResult.values:
        visits = visits.filter(result=filters["result"])
    if filters["method"] in VisitMethod.values:
        visits = visits.filter(method=filters["method"])
    context = paginate(request, visits.order_by("-visited_on", "-id"))
    context.update(
        {
            "filters": filters,
            "chosen": chosen,
            "results": VisitResult.values,
            "methods": VisitMethod.values,
            "nav": "tracking",
            "tab": "visits",
        }
    )
    return render(request, "tracking/visit_list.html", context)


# -- the 联系不上 list ---------------------------------------------------------------------------------------


@staff_required
def unreachable_list(request):
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            number = parse_id_number(form.cleaned_data["id_number"]).value
        except IdNumberError as exc:
            form.add_error("id_number", exc.message)
        else:
            person = Person.objects.for_user(request.user).filter(id_number=number).first()
            if person is None:
                form.add_error("id_number", "您的管辖区域内没有登记此证件号码。")
            else:
                actions.flag_unreachable(request.user, person, form.cleaned_data["note"])
                messages.success(request, f"已标记 {person.name} 联系不上。")
                return redirect("tracking:unreachable_list")
    flags = Unreachable.objects.for_user(request.user).select_related(
        "person", "area", "flagged_by", "visit", "cleared_by_visit"
    )
    show_cleared = request.GET.get("cleared") == "1"
    flags = flags if show_cleared else flags.filter(cleared_at__isnull=True)
    context = paginate(request, flags.order_by("-flagged_on", "-id"))
    context.update({"form": form, "show_cleared": show_cleared, "nav": "tracking", "tab": "unreachable"})
    return render(request, "tracking/unreachable_list.html", context)


@staff_required
@require_POST
def unreachable_flag(request, person_pk: int):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=person_pk)
    actions.flag_unreachable(request.user, person, request.POST.get("note", ""))
    messages.success(request, f"已标记 {person.name} 联系不上。")
    return redirect(_safe_next(request, reverse("tracking:unreachable_list")))


@staff_required
@require_POST
def unreachable_clear(request, pk: int):
    flag = get_object_or_404(Unreachable.objects.for_user(request.user), pk=pk)
    actions.clear_unreachable(request.user, flag, request.POST.get("note", ""))
    messages.success(request, "已取消联系不上标记。")
    return redirect(_safe_next(request, reverse("tracking:unreachable_list")))


UNREACHABLE_HEADER = (
    "姓名",
    "证件号码",
    "性别",
    "出生日期",
    "联系电话",
    "所在村",
    "户编号",
    "标记日期",
    "情况说明",
    "标记人",
)


@staff_required
def unreachable_export(request):
    """The list for the rural revitalisation department (.xlsx or csv); whole ID numbers only for users
    who may see them."""
    sensitive = request.user.can_view_sensitive
    flags = (
        Unreachable.objects.for_user(request.user)
        .filter(cleared_at__isnull=True)
        .select_related("person", "person__household", "area", "flagged_by")
        .order_by("area_id", "flagged_on", "id")
    )

    def rows():
        for flag in flags.iterator(chunk_size=2000):
            p = flag.person
            yield (
                p.name,
                p.id_number if sensitive else mask_id(p.id_number),
                p.sex,
                p.birth_date,
                p.phone if sensitive else mask_phone(p.phone),
                flag.area.full_name or flag.area.name,
                p.household.number,
                flag.flagged_on,
                flag.note,
                flag.flagged_by.display_name if flag.flagged_by else "",
            )

    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False) as handle:
        path = Path(handle.name)
    try:
        count = write_table(path, UNREACHABLE_HEADER, rows())
    except Exception:
        path.unlink(missing_ok=True)
        raise
    audit(
        Action.EXPORT,
        actor=request.user,
        area_code=request.user.area_id,
        message=f"导出联系不上人员名单 {count} 人" + ("" if sensitive else "（已脱敏）"),
    )
    filename = f"联系不上人员-{request.user.area.short_code}-{timezone.localdate():%Y%m%d}.{fmt}"
    return FileResponse(_TemporaryDownload(path, "r"), as_attachment=True, filename=filename)


# -- the visits file import --------------------------------------------------------------------------------


@staff_required
def import_list(request):
    batches = VisitImport.objects.for_user(request.user).select_related("area", "user")
    importer.reap_visit_imports(batches)
    context = paginate(request, batches.order_by("-created_at", "-id"), per_page=30)
    context.update({"nav": "tracking", "tab": "imports"})
    return render(request, "tracking/import_list.html", context)


@staff_required
def import_new(request):
    form = VisitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = importer.create_visit_import(area=request.user.area, user=request.user, upload=upload)
        _start_import(batch, upload.size)
        return redirect("tracking:import_detail", pk=batch.pk)
    return render(request, "tracking/import_form.html", {"form": form, "nav": "tracking", "tab": "imports"})


def _start_import(batch: VisitImport, size: int) -> None:
    """Small files are imported while the user waits; larger ones by the background worker."""
    if size >= INLINE_IMPORT_LIMIT:
        run_visit_import_task.enqueue(batch.pk)
        return
    try:
        importer.run_visit_import(batch)
    except (DatabaseError, ValidationError, PermissionDenied):
        logger.exception("visits import %s failed", batch.pk)


def _scoped_batch(request, pk: int) -> VisitImport:
    return get_object_or_404(VisitImport.objects.for_user(request.user).select_related("area", "user"), pk=pk)


@staff_required
def import_detail(request, pk: int):
    batch = _scoped_batch(request, pk)
    if importer.reap_visit_imports(VisitImport.objects.filter(pk=batch.pk)):
        batch.refresh_from_db()
    context = {"batch": batch, "nav": "tracking", "tab": "imports", "report_url": "tracking:import_report"}
    context.update(batch_errors(request, batch, personal=True))
    if request.headers.get("HX-Request"):
        return render(request, "tracking/_import_progress.html", context)
    return render(request, "tracking/import_detail.html", context)


@staff_required
def import_report(request, pk: int):
    """The rejected rows as uploaded (ID numbers among them: for the importer and those who may see them
    whole); downloads are audited."""
    return report_response(request, _scoped_batch(request, pk), what="跟踪回访", personal=True)


@staff_required
@require_POST
def import_resume(request, pk: int):
    batch = _scoped_batch(request, pk)
    try:
        batch = importer.resume_visit_import(request.user, batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("tracking:import_detail", pk=batch.pk)
    _start_import(batch, batch.file.size)
    return redirect("tracking:import_detail", pk=batch.pk)


# --- warnings ------------------------------------------------------------------------------------------


def _errors(exc) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


def _warnings(request):
    return Warning.objects.for_user(request.user).select_related("person", "household", "area", "assignee")


def _filter(request):
    data = request.GET.copy()
    if "status" not in data:  # the list is work to do: open ones unless asked otherwise
        data["status"] = "open"
    return _styled(
        WarningFilter(data, queryset=_warnings(request), request=request),
        {"q": "姓名、证件号后几位或户编号", "area": "如 433124102"},
    )


def page_of(ids: list[int]) -> list[Warning]:
    """The warnings of one page, in the page's order, with what the list shows of them."""
    found = Warning.objects.filter(pk__in=ids).select_related("person", "household", "area", "assignee")
    rows = {w.pk: w for w in found}
    return [rows[pk] for pk in ids if pk in rows]


NEWEST_FIRST = ("-raised_on", "-id")


@staff_required
def warning_list(request):
    filterset = _filter(request)
    # The page's ids come off the list index alone; their rows are read after (see Warning.Meta).
    context = paginate(request, filterset.qs.order_by(*NEWEST_FIRST).values_list("id", flat=True))
    context["object_list"] = page_of(list(context["object_list"]))
    today = timezone.localdate()
    if request.user.area.level < 5:  # above a village: how many below are past their due day
        context["overdue_count"] = (
            Warning.objects.for_user(request.user)
            .filter(status__in=OPEN_STATUSES, due_on__lt=today)
            .order_by()[:10_001]
            .count()
        )
    context.update({"filter": filterset, "today": today, "nav": "tracking"})
    return render(request, "tracking/warning_list.html", context)


@staff_required
def warning_export(request):
    """The filtered list as .xlsx (or .csv): the §7 columns and the work columns. ID numbers are masked
    unless the user may see them whole; every export is audited with its row count."""
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    filterset = _filter(request)
    refused = "" if filterset.is_valid() else "筛选条件有误，请先改正后再导出。"
    if not refused and fmt == "xlsx":
        refused = excel_overflow(filterset.qs.count())
    if refused:
        messages.error(request, refused)
        params = request.GET.copy()
        params.pop("format", None)
        return redirect(f"{reverse('tracking:warning_list')}?{params.urlencode()}")
    masked = not request.user.can_view_sensitive
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False) as handle:
        path = Path(handle.name)
    try:
        count = export.write_work(
            path, filterset.qs.order_by("area_id", "kind", "id"), masked=masked, file_format=fmt
        )
    except Exception:
        path.unlink(missing_ok=True)
        raise
    conditions = "；".join(f"{k}={v}" for k, v in request.GET.items() if v and k not in ("format", "page"))
    audit(
        Action.EXPORT,
        actor=request.user,
        area_code=request.user.area_id,
        message=f"导出预警 {count} 条（{fmt}，证件号码{'脱敏' if masked else '完整'}）"
        + (f"，筛选条件：{conditions}" if conditions else ""),
    )
    filename = f"预警-{request.user.area.short_code}-{timezone.localdate():%Y%m%d}.{fmt}"
    return FileResponse(_TemporaryDownload(path, "r"), as_attachment=True, filename=filename)


def _warning(request, pk: int) -> Warning:
    return get_object_or_404(_warnings(request), pk=pk)


@staff_required
def warning_detail(request, pk: int):
    warning = _warning(request, pk)
    helps = warning.helps.select_related("by", "referral__job", "service").order_by("-on", "-id")
    related = (
        _warnings(request)
        .filter(household_id=warning.household_id)
        .exclude(pk=warning.pk)
        .order_by("-raised_on", "-id")[:20]
    )
    context = {
        "warning": warning,
        "helps": helps,
        "related": related,
        "today": timezone.localdate(),
        "nav": "tracking",
    }
    if warning.is_open:
        context["help_form"] = HelpForm(actor=request.user, warning=warning)
        context["assign_form"] = AssignForm(
            actor=request.user, area_code=warning.area_id, initial={"assignee": warning.assignee_id}
        )
        context["close_form"] = CloseForm()
    return render(request, "tracking/warning_detail.html", context)


def _back(warning: Warning):
    return redirect("tracking:warning_detail", pk=warning.pk)


@staff_required
@require_POST
def warning_start(request, pk: int):
    warning = _warning(request, pk)
    try:
        actions.start_warning(request.user, warning)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已开始处理该预警。")
    return _back(warning)


@staff_required
@require_POST
def warning_assign(request, pk: int):
    warning = _warning(request, pk)
    form = AssignForm(request.POST, actor=request.user, area_code=warning.area_id)
    if not form.is_valid():
        messages.error(request, "请选择列表中的责任人。")
        return _back(warning)
    try:
        actions.assign_warning(request.user, warning, form.cleaned_data["assignee"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已指定责任人。")
    return _back(warning)


@staff_required
@require_POST
def warning_help(request, pk: int):
    warning = _warning(request, pk)
    form = HelpForm(request.POST, actor=request.user, warning=warning)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_help(
                request.user, warning, kind=data["kind"], on=data["on"], note=data["note"],
                person=data.get("person"), referral=data.get("referral"),
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, f"已登记帮扶措施：{data['kind']}。")
    else:
        messages.error(request, "；".join(f"{form.fields[f].label if f in form.fields else ''}{' '.join(e)}"
                                         for f, e in form.errors.items()))  # fmt: skip
    return _back(warning)


@staff_required
@require_POST
def warning_close(request, pk: int):
    warning = _warning(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "关闭预警须说明原因。")
        return _back(warning)
    try:
        actions.close_warning(request.user, warning, form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已关闭该预警。")
    return _back(warning)


# --- 帮扶责任人 -------------------------------------------------------------------------------------


def _responsible(request, *, person=None, household=None, back):
    subject = person or household
    current = actions.current_responsibility(person=person, household=household)
    form = ResponsibleForm(
        request.POST or None,
        actor=request.user,
        area_code=subject.area_id,
        initial={"user": current.user_id if current else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_responsible(
                request.user, user=form.cleaned_data["user"], person=person, household=household
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "已保存帮扶责任人。")
            return redirect(back)
    open_warnings = Warning.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(person=person) if person is not None else Q(household=household)
    )
    context = {
        "form": form,
        "person": person,
        "household": household,
        "current": current,
        "household_current": actions.current_responsibility(household=person.household) if person else None,
        "open_count": open_warnings.aggregate(n=Count("id"))["n"],
        "back": back,
        "nav": "registry",
    }
    return render(request, "tracking/responsible_form.html", context)


@staff_required
def person_responsible(request, pk: int):
    person = get_object_or_404(
        Person.objects.for_user(request.user).select_related("household", "area"), pk=pk
    )
    return _responsible(request, person=person, back=reverse("registry:person_detail", args=[person.pk]))


@staff_required
def household_responsible(request, pk: int):
    household = get_object_or_404(Household.objects.for_user(request.user).select_related("area"), pk=pk)
    return _responsible(
        request, household=household, back=reverse("registry:household_detail", args=[household.pk])
    )


# --- the 三线 table ---------------------------------------------------------------------------------------


def _area(request) -> Area:
    """The area asked for (?area=), inside the user's subtree (else 404); the user's own by default."""
    raw = request.GET.get("area", "")
    if not raw:
        return request.user.area
    try:
        code = normalize_code(raw)
    except ValueError as exc:
        raise Http404("区域代码有误。") from exc
    return get_object_or_404(Area.objects.for_user(request.user), code=code)


def _day(request) -> dt.date:
    """The day the stocks are counted on (?on=YYYY-MM-DD); today by default or when unreadable."""
    try:
        day = dt.date.fromisoformat(request.GET.get("on", "")[:10])
    except ValueError:
        return timezone.localdate()
    return day if dt.date(2000, 1, 1) <= day <= dt.date(2099, 12, 31) else timezone.localdate()


def _month(request, on: dt.date) -> dt.date:
    """The month of the flows (?month=YYYY-MM); the month of `on` by default."""
    raw = request.GET.get("month", "")
    year, _, month = raw.partition("-")
    year, month = as_int(year, 2000, 2099), as_int(month, 1, 12)
    return dt.date(year, month, 1) if year and month else on.replace(day=1)


def _params(request):
    area = _area(request)
    on = _day(request)
    return area, on, _month(request, on)


def _query(area: Area, on: dt.date, month: dt.date) -> str:
    return f"area={area.code}&on={on:%Y-%m-%d}&month={month:%Y-%m}"


@staff_required
def lines_table(request):
    area, on, month = _params(request)
    rows, total = figures.table(area, on, month)
    columns = figures.columns(rows)
    return render(
        request,
        "tracking/lines.html",
        {
            "area": area,
            "on": on,
            "month": month,
            "rows": [(r, [(f, r[f.key]) for f in columns]) for r in rows],
            "total": [(f, total[f.key]) for f in columns],
            "columns": columns,
            "has_children": bool(rows) and rows[0].area != area,
            "query": _query(area, on, month),
            "trail": [a for a in area.ancestors() if request.user.area.contains(a.code)] + [area],
            "nav": "tracking",
        },
    )


def _figure(request) -> figures.Figure:
    figure = figures.FIGURES.get(request.GET.get("figure", ""))
    if figure is None:
        raise Http404("没有这一项统计。")
    return figure


def _ordered(figure, subjects):
    if figure.unit == "records":
        return subjects.select_related("person", "person__area").order_by(
            "person__area_id", "person__name", "id"
        )
    if figure.unit == "households":
        return subjects.select_related("area").order_by("area_id", "number", "id")
    return subjects.select_related("area", "household").order_by("area_id", "name", "id")


@staff_required
def lines_people(request):
    """The people (households, records) behind one number of the table, IDs masked."""
    area, on, month = _params(request)
    figure = _figure(request)
    context = paginate(request, _ordered(figure, figures.subjects(figure.key, area, on, month)))
    context.update(
        {
            "area": area,
            "on": on,
            "month": month,
            "figure": figure,
            "query": _query(area, on, month),
            "nav": "tracking",
        }
    )
    return render(request, "tracking/lines_people.html", context)


def _list_rows(figure, subjects):
    if figure.unit == "records":
        header = [
            "区划代码",
            "所在村",
            "姓名",
            "证件号码",
            "单位名称",
            "务工地域",
            "入职日期",
            "离职日期",
            "离职原因",
        ]
        rows = (
            [r.person.area_id, r.person.area.name, r.person.name, r.person.masked_id, r.employer_name,
             r.place, r.started_on, r.ended_on, r.end_reason]
            for r in subjects.iterator(chunk_size=2000)
        )  # fmt: skip
    elif figure.unit == "households":
        header = ["区划代码", "所在村", "户编号", "户类型"]
        rows = (
            [h.area_id, h.area.name, h.number, h.household_type] for h in subjects.iterator(chunk_size=2000)
        )
    else:
        header = ["区划代码", "所在村", "姓名", "证件号码", "性别", "年龄", "户编号"]
        rows = (
            [p.area_id, p.area.name, p.name, p.masked_id, p.sex, p.age, p.household.number]
            for p in subjects.iterator(chunk_size=2000)
        )
    return header, rows


@staff_required
def lines_export(request):
    """The table (or, with ?figure=, the list behind one of its numbers, IDs masked) as xlsx or csv;
    audited."""
    area, on, month = _params(request)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    if request.GET.get("figure"):
        figure = _figure(request)
        header, rows = _list_rows(figure, _ordered(figure, figures.subjects(figure.key, area, on, month)))
        name = f"三线统计-{figure.label}名单-{area.name}-{on:%Y%m%d}-{month:%Y%m}.{fmt}"
    else:
        table, total = figures.table(area, on, month)
        shown = list(figures.FIGURES.values())
        header = ["区划代码", "区域", *(f.label for f in shown)]
        rows = [[r.area.code, r.area.name if r is not total else "合计", *(r[f.key] for f in shown)]
                for r in [*table, total]]  # fmt: skip
        name = f"三线统计-{area.name}-{on:%Y%m%d}-{month:%Y%m}.{fmt}"
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False) as handle:
        path = Path(handle.name)
    try:
        count = write_table(path, header, rows)
        audit(Action.EXPORT, actor=request.user, area_code=area.code, message=f"导出{name}（{count} 行）")
        data = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --- the receiving area (输入地) ----------------------------------------------------------------------------


def _within(request) -> Area | None:
    """An optional sub-area of the user's (?area=) narrowing where the people work."""
    return _area(request) if request.GET.get("area") else None


@staff_required
def receiving_list(request):
    """Laborers from elsewhere whose record in force says they work in the user's subtree: the narrow
    fields only, and every page shown is audited."""
    q = request.GET.get("q", "")[:50]
    context = paginate(request, receiving.records_for(request.user, q=q, within=_within(request)))
    records = list(context["object_list"])
    counties = receiving.home_counties(records)
    receiving.audit_list(request.user, records, page=context["page_obj"].number)
    context.update(
        {
            "rows": [(r, counties.get(r.person.area_id[:6], "")) for r in records],
            "q": q,
            "nav": "tracking",
        }
    )
    return render(request, "tracking/receiving_list.html", context)


def _receiving_record(request, pk: int):
    return get_object_or_404(receiving.records_for(request.user), pk=pk)


def _detail(request, record, *, confirm_form=None, visit_form=None):
    """The record as the receiving area sees it, with what this area confirmed and the visits its staff
    recorded (nothing else of the person)."""
    low, high = request.user.area.code_range
    confirmations = (
        Confirmation.objects.filter(record=record, confirmer_area__code__range=(low, high))
        .select_related("by")
        .order_by("-on", "-id")
    )
    visits = (
        Visit.objects.filter(
            person_id=record.person_id, source=VisitSource.RECEIVING, by__area__code__range=(low, high)
        )
        .select_related("by")
        .order_by("-visited_on", "-id")[:10]
    )
    counties = receiving.home_counties([record])
    return render(
        request,
        "tracking/receiving_detail.html",
        {
            "record": record,
            "home_county": counties.get(record.person.area_id[:6], ""),
            "confirmations": confirmations,
            "visits": visits,
            "form": confirm_form or ConfirmForm(),
            "visit_form": visit_form or VisitForm(),
            "nav": "tracking",
        },
    )


def _after_write(request, record):
    if not receiving.records_for(request.user).filter(pk=record.pk).exists():
        return redirect("tracking:receiving")  # no longer in force: gone from this area's view
    return redirect("tracking:receiving_detail", pk=record.pk)


@staff_required
def receiving_detail(request, pk: int):
    record = _receiving_record(request, pk)
    receiving.audit_record(request.user, record)
    return _detail(request, record)


@staff_required
@require_POST
def receiving_confirm(request, pk: int):
    record = _receiving_record(request, pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            confirmation = actions.confirm_employment(
                request.user, record, on=data["on"], outcome=data["outcome"], ended_on=data["ended_on"],
                reason=data["reason"], note=data["note"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已{confirmation.get_outcome_display()}：{record.person.name}。")
            return _after_write(request, record)
    return _detail(request, record, confirm_form=form)


@staff_required
@require_POST
def receiving_visit(request, pk: int):
    """A follow-up visit by the receiving area (source 输入地), through `actions.record_visit`."""
    record = _receiving_record(request, pk)
    form = VisitForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = Person.objects.get(pk=record.person_id)
        try:
            outcome = actions.record_visit(
                request.user, person, visited_on=data["visited_on"], method=data["method"],
                result=data["result"], note=data["note"], source=VisitSource.RECEIVING,
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            for text in _outcome_messages(person, outcome):
                messages.success(request, text)
            return _after_write(request, record)
    return _detail(request, record, visit_form=form)
