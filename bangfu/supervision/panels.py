"""The 工作台's 督办 panel: the tasks due and overdue for the user's area and below, compactly, for a phone
or a desktop. `panel(user)` gives what the panel shows; `supervision_panel` is registered on the 工作台's
panel seam (dashboard/panels.py, from apps.py), and `{% load supervision %}{% supervision_panel %}`
renders the same card in any other template (templatetags/supervision.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from bangfu.supervision.models import Assignment, ReminderRule, Task

SHOWN = 5


@dataclass
class Panel:
    today: date
    soon_days: int
    open: int = 0  # not done, whatever the due day
    overdue: int = 0
    due_soon: int = 0
    to_review: int = 0
    items: list = field(default_factory=list)  # the most urgent open items: by due day, overdue first

    @property
    def empty(self) -> bool:
        return not (self.open or self.to_review)


def panel(user, today: date | None = None) -> Panel:
    """A few small queries whatever the area: counts of open, overdue and soon-due items, replies waiting
    for the user's area to review, and the few most urgent items."""
    today = today or timezone.localdate()
    rule = ReminderRule.objects.in_force(user.area_id, today)
    soon_days = rule.remind_days if rule is not None else 3
    open_items = Assignment.objects.for_user(user).open()
    result = Panel(today=today, soon_days=soon_days)
    result.open = open_items.order_by()[:10_001].count()
    result.overdue = open_items.overdue(today).order_by().count()
    result.due_soon = (
        open_items.filter(due_on__gte=today, due_on__lte=today + timedelta(days=soon_days)).order_by().count()
    )
    result.to_review = (
        Assignment.objects.filter(awaiting_review=True, task__in=Task.objects.filter(area=user.area))
        .order_by()
        .count()
    )
    items = list(open_items.select_related("task", "area").order_by("due_on", "task_id", "area_id")[:SHOWN])
    for item in items:
        item.status = item.status_on(today)
    result.items = items
    return result


def supervision_panel(request, area, on: date) -> str:
    """The panel as the 工作台 places it (dashboard/panels.py: request, area, day → HTML)."""
    return render_to_string(
        "supervision/_dashboard_panel.html", {"panel": panel(request.user, on)}, request=request
    )
