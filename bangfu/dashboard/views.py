"""工作台: the user's own area at a glance, with its sub-areas."""

import json

from django.shortcuts import render
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.areas.models import Level
from bangfu.areas.stats import level_counts
from bangfu.areas.views import children_table
from bangfu.audit.models import AuditEvent
from bangfu.core.access import staff_required
from bangfu.dashboard import panels


@staff_required
def home(request):
    user = request.user
    area = user.area
    counts = level_counts(area)
    rows = children_table(user, area)
    chart = {
        "names": [row["area"].name for row in rows],
        "villages": [row["villages"] for row in rows],
        "users": [row["users"] for row in rows],
    }
    return render(
        request,
        "dashboard/home.html",
        {
            "area": area,
            "level_counts": [
                (Level(level).label, counts.get(level, 0)) for level in range(area.level + 1, 6)
            ],
            "active_users": User.objects.for_user(user).staff().filter(is_active=True).count(),
            "rows": rows,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "recent_events": AuditEvent.objects.for_user(user).order_by("-at", "-id")[:8],
            "panels": panels.render_all(request, area, timezone.localdate()),
            "nav": "dashboard",
        },
    )
