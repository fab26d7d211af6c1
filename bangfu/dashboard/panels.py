"""Panels other apps put on the 工作台: each a function (request, area, day) → HTML, registered from the app's
AppConfig.ready(), so the dashboard imports none of them (the targets app: figures against targets; the
supervision tasks due). The dashboard's own: the open warnings (`warnings_panel`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.template.loader import render_to_string

Panel = Callable[..., str]
_panels: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def render_all(request, area, on: dt.date) -> list[str]:
    return [panel(request, area, on) for panel in _panels]


def warnings_panel(request, area, on: dt.date) -> str:
    """Open warnings (预警) of the user's subtree: how many by kind, how many overdue, links to the list."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from bangfu.tracking.models import OPEN_STATUSES, Warning

    rows = list(
        Warning.objects.for_user(request.user)
        .filter(status__in=OPEN_STATUSES)
        .values("kind")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=on)))
        .order_by("-n")
    )
    return render_to_string(
        "dashboard/_warnings.html",
        {
            "rows": rows,
            "total": sum(r["n"] for r in rows),
            "overdue": sum(r["overdue"] for r in rows),
            "list_url": reverse("tracking:warning_list"),
        },
        request=request,
    )
