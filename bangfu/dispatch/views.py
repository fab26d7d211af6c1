"""Pages of dispatch: the rounds (调度) and their bulletins (通报) — the list with the form that starts this
month's round, one round as it was published (read from what it froze, never recomputed), its files — and the
annual report with its charts and downloads."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.access import staff_required
from bangfu.core.params import as_int
from bangfu.core.views import paginate
from bangfu.dispatch import actions, bulletin
from bangfu.dispatch.annual import annual, annual_sheet
from bangfu.dispatch.models import DispatchRound


@staff_required
def round_list(request):
    rounds = DispatchRound.objects.for_user(request.user).select_related("area", "published_by")
    context = paginate(request, rounds.order_by("-year", "-month", "area_id"), per_page=30)
    year, month = actions.last_month(timezone.localdate())
    context.update({"nav": "dispatch", "year": year, "month": month, "months": range(1, 13)})
    return render(request, "dispatch/round_list.html", context)


@staff_required
@require_POST
def round_start(request):
    """Start and publish the round of the user's own area for a month that has ended."""
    year, month = as_int(request.POST.get("year"), 2014, 2099), as_int(request.POST.get("month"), 1, 12)
    if not year or not month:
        messages.error(request, "请选择年度和月份。")
        return redirect("dispatch:round_list")
    try:
        round_ = actions.publish_round(request.user, request.user.area, year=year, month=month)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))
        return redirect("dispatch:round_list")
    messages.success(request, f"已发布{round_.title}，并已通知各下级区域。")
    return redirect("dispatch:round_detail", pk=round_.pk)


def _scoped_round(request, pk: int) -> DispatchRound:
    return get_object_or_404(DispatchRound.objects.for_user(request.user).select_related("area"), pk=pk)


@staff_required
def round_detail(request, pk: int):
    round_ = _scoped_round(request, pk)
    entries = list(round_.entries.all())
    sheet = bulletin.round_sheet(round_, entries)
    chart = {"names": [label for label, _ in sheet.chart], "name": sheet.chart_title,
             "actual": [value for _, value in sheet.chart], "target": []}  # fmt: skip
    return render(
        request,
        "dispatch/round_detail.html",
        {
            "round": round_,
            "sheet": sheet,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "nav": "dispatch",
        },
    )


@staff_required
def round_file(request, pk: int, kind: str):
    """The bulletin's file exactly as it was published; downloads are audited."""
    round_ = _scoped_round(request, pk)
    stored = {"xlsx": round_.xlsx, "pdf": round_.pdf}.get(kind)
    if not stored:
        raise Http404("没有这个文件。")
    audit(Action.EXPORT, actor=request.user, obj=round_, message=f"下载调度通报：{round_.title}（{kind}）")
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"{round_.title}.{kind}")


def _annual_args(request):
    from bangfu.areas.models import Area

    area = request.user.area
    code = request.GET.get("area")
    if code:
        area = get_object_or_404(Area.objects.for_user(request.user), code=code)
    today = timezone.localdate()
    year = as_int(request.GET.get("year"), 2014, today.year) or today.year
    return area, year, today


@staff_required
def annual_report(request):
    area, year, today = _annual_args(request)
    report = annual(area, year, today=today)
    return render(
        request,
        "dispatch/annual.html",
        {
            "report": report,
            "rows": report.rows(),
            "total": report.total_cells(),
            "chart": report.chart(),
            "years": range(today.year, today.year - 6, -1),
            "nav": "dispatch",
        },
    )


@staff_required
def annual_file(request):
    area, year, today = _annual_args(request)
    kind = request.GET.get("format", "xlsx")
    if kind not in ("xlsx", "pdf"):
        raise Http404("没有这种格式。")
    report = annual(area, year, today=today)
    sheet = annual_sheet(report)
    data = bulletin.pdf_bytes(sheet) if kind == "pdf" else bulletin.xlsx_bytes(sheet)
    audit(
        Action.EXPORT,
        actor=request.user,
        area_code=area.code,
        message=f"导出年度报告：{sheet.title}（{kind}）",
    )
    content_type = (
        "application/pdf"
        if kind == "pdf"
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    response = HttpResponse(data, content_type=content_type)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(sheet.title + '.' + kind)}"
    return response
