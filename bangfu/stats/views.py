"""统计 pages: an area's §8 figures per sub-area on any day (sortable by any figure, drill down into
children), the trend by month, and the export (audited). Every area asked is resolved inside the user's
subtree (`Area.objects.for_user`): another area's code is a 404."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from bangfu.areas.models import Area, Level, normalize_code
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.access import staff_required
from bangfu.stats import export, figures, store

# The figures the trend shows at first (the others are a click on the legend away).
TREND_SHOWN = ("laborers", "working", "not_working", "zero_employment_households")
# Above a township, months never kept are not computed for the trend (each would count a county or more).
COMPUTE_MONTHS_FROM = Level.TOWNSHIP


def area_param(request) -> Area:
    """The area asked for (?area=), inside the user's subtree (else 404); the user's own by default."""
    raw = request.GET.get("area", "")
    if not raw:
        return request.user.area
    try:
        code = normalize_code(raw)
    except ValueError as exc:
        raise Http404("区域代码有误。") from exc
    return get_object_or_404(Area.objects.for_user(request.user), code=code)


def day_param(request) -> dt.date:
    """The day counted (?on=YYYY-MM-DD): today by default, or when unreadable or in the future."""
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("on", "")[:10])
    except ValueError:
        return today
    return day if dt.date(2000, 1, 1) <= day <= today else today


def sort_param(request) -> tuple[str, bool]:
    """(?sort= a figure key, "name" or "code"; ?dir=desc): how the sub-area table is ordered."""
    key = request.GET.get("sort", "")
    if key not in figures.KEYS and key != "name":
        key = "code"
    return key, request.GET.get("dir") == "desc"


def sorted_rows(rows: list[figures.Row], key: str, descending: bool) -> list[figures.Row]:
    if key == "code":
        return sorted(rows, key=lambda r: r.area.code, reverse=descending)
    if key == "name":
        return sorted(rows, key=lambda r: r.area.name, reverse=descending)
    return sorted(rows, key=lambda r: (r[key], r.area.code), reverse=descending)


def trend(area: Area, on: dt.date, total: figures.Row, *, compute: bool) -> dict:
    """The chart data of the months of `on`'s year up to `on` (the last point is the table's total):
    kept months, and with `compute` the months never kept computed from the records."""
    points = figures.months(area, on.year, on - dt.timedelta(days=1), compute_missing=compute)
    points = [(day, values) for day, values in points if day.month != on.month] + [(on, total.values)]
    return {
        "days": [f"{day.month}月" if day != on else f"{day.month}月{day.day}日" for day, _ in points],
        "series": [
            {
                "key": f.key,
                "name": f.name,
                "shown": f.key in TREND_SHOWN,
                "data": [None if values is None else values[f.key] for _, values in points],
            }
            for f in figures.FIGURES
        ],
        "partial": any(values is None for _, values in points),
    }


def header_links(base: dict, sort: str, descending: bool) -> list[dict]:
    """Each column's sort link: a click sorts by it (figures largest first), a second click reverses."""
    links = []
    for key, name in [("name", "区域"), *((f.key, f.name) for f in figures.FIGURES)]:
        first_desc = key != "name"
        desc = (not descending) if key == sort else first_desc
        links.append(
            {
                "key": key,
                "name": name,
                "url": "?" + urlencode({**base, "sort": key, "dir": "desc" if desc else "asc"}),
                "active": key == sort,
                "descending": descending,
            }
        )
    return links


def table_context(request, area: Area, on: dt.date, *, page: str) -> dict:
    """What the sub-area table, the cards and the trend need (the statistics page and the 工作台)."""
    rows, total = figures.table(area, on)
    sort, descending = sort_param(request)
    base = {"area": area.code, "on": on.isoformat()}
    # The statistics page of a township or village computes the months never kept (a few hundred people
    # each); the 工作台, opened many times a day, shows the kept months only.
    chart = trend(area, on, total, compute=page == "stats" and area.level >= COMPUTE_MONTHS_FROM)
    return {
        "area": area,
        "on": on,
        "today": timezone.localdate(),
        "rows": sorted_rows(rows, sort, descending),
        "total": total,
        "figure_list": figures.FIGURES,
        "headers": header_links(base if page == "stats" else {}, sort, descending),
        "sort_keep": list(base.items()) if page == "stats" else [],
        "sort_desc": descending,
        "kept_at": store.captured_at(on),
        "trend_json": json.dumps(chart, ensure_ascii=False),
        "trend_partial": chart["partial"],
        "query": urlencode(base),
        "trail": [a for a in area.ancestors() if request.user.area.contains(a.code)] + [area],
    }


@staff_required
def index(request):
    area, on = area_param(request), day_param(request)
    context = table_context(request, area, on, page="stats")
    context["nav"] = "stats"
    return render(request, "stats/index.html", context)


@staff_required
def export_table(request):
    """The table as .xlsx (or ?format=csv): EXCHANGE §8's columns, a row per sub-area and 合计; audited."""
    area, on = area_param(request), day_param(request)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    name = f"统计-{area.name}-{on:%Y%m%d}.{fmt}"
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False) as handle:
        path = Path(handle.name)
    try:
        count = export.write(path, area, on, file_format=fmt)
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
