"""Who hears of warnings: the assignee of each new warning, or — when nobody answers for its person or
household — the staff of its village; and the level above of warnings left past their due day. One
inbox entry per person told, counting their warnings, written once the scan commits."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from bangfu.accounts.models import Kind, User
from bangfu.notices.models import Notification
from bangfu.tracking.models import Warning


def _staff_of(area_codes) -> dict[str, list[int]]:
    """The active staff accounts bound to exactly each of the areas, by area."""
    staff: dict[str, list[int]] = {}
    users = User.objects.filter(kind=Kind.STAFF, is_active=True, area_id__in=list(area_codes))
    for user_id, area_id in users.values_list("id", "area_id"):
        staff.setdefault(area_id, []).append(user_id)
    return staff


def tell_new_warnings(stamp) -> None:
    """Tell the people who answer for the warnings a scan raised (those created at `stamp`)."""
    rows = (
        Warning.objects.filter(created_at=stamp)
        .values_list("assignee_id", "area_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    mine: Counter = Counter()
    unassigned: Counter = Counter()
    for assignee_id, area_id, n in rows:
        if assignee_id:
            mine[assignee_id] += n
        else:
            unassigned[area_id] += n
    village: Counter = Counter()
    for area_id, users in _staff_of(unassigned).items():
        for user_id in users:
            village[user_id] += unassigned[area_id]
    try:
        link = reverse("tracking:warning_list")
    except NoReverseMatch:  # the pages are not installed
        link = ""
    notices = [
        Notification(
            recipient_id=user_id,
            title=f"您负责的人员有 {n} 条新预警",
            body="请尽快联系、帮扶并登记处理情况。",
            link=f"{link}?assignee=me",
        )
        for user_id, n in mine.items()
    ] + [
        Notification(
            recipient_id=user_id,
            title=f"本村有 {n} 条新预警尚未指定帮扶责任人",
            body="请指定帮扶责任人或直接处理。",
            link=f"{link}?assignee=none",
        )
        for user_id, n in village.items()
    ]
    _on_commit(notices)


def _on_commit(notices: list[Notification]) -> None:
    if notices:
        transaction.on_commit(lambda: Notification.objects.bulk_create(notices, batch_size=1000), robust=True)


def escalate_overdue() -> int:
    """Tell the staff of the level above each village (its township, else the county) of the open warnings
    there that passed their due day and were not reported before; each is reported once. Returns how many
    were reported."""
    from django.utils import timezone

    from bangfu.areas.models import Area
    from bangfu.tracking.models import OPEN_STATUSES

    today = timezone.localdate()
    overdue = Warning.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today, escalated_on__isnull=True)
    counts = dict(overdue.values_list("area_id").annotate(n=Count("id")).order_by())
    if not counts:
        return 0
    # The level above: the village's township, or the county where the township has no staff account.
    parents = dict(Area.objects.filter(code__in=list(counts)).values_list("code", "parent_id"))
    grandparents = dict(Area.objects.filter(code__in=set(parents.values())).values_list("code", "parent_id"))
    staff = _staff_of({*parents.values(), *grandparents.values()} - {None})
    above: Counter = Counter()
    for village, n in counts.items():
        township = parents.get(village)
        above[township if township in staff else grandparents.get(township)] += n
    try:
        link = reverse("tracking:warning_list") + "?overdue=1"
    except NoReverseMatch:
        link = ""
    notices = [
        Notification(
            recipient_id=user_id,
            title=f"辖区有 {n} 条预警逾期未处理",
            body="请督促帮扶责任人尽快处理。",
            link=link,
        )
        for code, n in above.items()
        for user_id in staff.get(code, ())
    ]
    reported = overdue.update(escalated_on=today)
    _on_commit(notices)
    return reported
