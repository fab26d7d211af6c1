"""The 工作台's panel of targets: the user's area's own targets of the year against its figures — completion,
the month's schedule, behind or not, rank among siblings — and how many areas below are behind. Computed
when the page is drawn (targets/progress.py), never stored."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from bangfu.targets.progress import children_progress, own_progress


def targets_panel(request, area, on: dt.date) -> str:
    own = own_progress(area, on)
    children, keys, found = children_progress(area, on.year, on, [p.figure for p in own] or None)
    behind = {
        key: sum(1 for c in children if found[(c.code, key)].behind(on)) for key in keys
    }  # areas, not people
    rows = [
        {
            "progress": p,
            "scheduled": p.scheduled(on),
            "behind": p.behind(on),
            "children_behind": behind.get(p.figure, 0),
        }
        for p in own
    ]
    return render_to_string(
        "targets/_panel.html", {"rows": rows, "area": area, "on": on, "year": on.year}, request=request
    )
