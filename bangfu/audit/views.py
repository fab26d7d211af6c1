"""Browsing the audit log of one's own subtree."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, render

from bangfu.areas.models import Area
from bangfu.audit.models import Action, AuditEvent
from bangfu.core.access import staff_required
from bangfu.core.views import paginate


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filter_events(request, events):
    """Apply the list's filters; bad values give a Chinese message and no results rather than an error."""
    params = request.GET
    if action := params.get("action"):
        events = events.filter(action=action)
    if username := params.get("user", "").strip():
        events = events.filter(username=username)
    if obj := params.get("object", "").strip():
        object_type, _, object_id = obj.partition(":")
        events = events.filter(object_type=object_type, object_id=object_id)
    for name, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        if raw := params.get(name):
            day = _date(raw)
            if day is None:
                messages.error(request, f"日期“{raw}”格式不正确，应为 年-月-日，例如 2026-01-31。")
                return events.none()
            events = events.filter(**{lookup: day})
    if raw_area := params.get("area", "").strip():
        area = Area.objects.in_scope(request.user, raw_area)
        if area is None:
            messages.error(request, f"区划代码“{raw_area}”不存在，或不在您的管辖区域内。")
            return events.none()
        events = events.for_area(area)
    return events


@staff_required
def event_list(request):
    events = filter_events(request, AuditEvent.objects.for_user(request.user))
    context = paginate(request, events.order_by("-at", "-id"))
    context.update({"nav": "audit", "actions": Action.choices, "filters": request.GET})
    return render(request, "audit/list.html", context)


@staff_required
def event_detail(request, pk: int):
    event = get_object_or_404(AuditEvent.objects.for_user(request.user), pk=pk)
    return render(request, "audit/detail.html", {"event": event, "nav": "audit"})
