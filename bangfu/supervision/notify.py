"""Who hears of 督办, in the inbox (notices.Notification), once the change commits: the receiving areas
of a new task, of a returned reply and of a task due within the 督办提醒 rule's days; the sender of a
reply and of a finished area; the level above a receiver whose task is past its due day (once).

A receiving area without a staff account is told through the nearest area above it that has one, never
the sender's own level (a township answers for a village without a clerk)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse

from bangfu.accounts.models import Kind, User
from bangfu.areas.models import Area
from bangfu.notices.models import Notification


def _staff_bound_to(codes) -> dict[str, list[int]]:
    staff: dict[str, list[int]] = defaultdict(list)
    users = User.objects.filter(kind=Kind.STAFF, is_active=True, area_id__in=list(codes))
    for user_id, area_id in users.values_list("id", "area_id"):
        staff[area_id].append(user_id)
    return staff


def staff_answering(codes, *, below: str | None = None) -> dict[str, list[int]]:
    """For each area code, the active staff bound to it, or to the nearest area above it that has any,
    stopping before `below` (the sender's area) and the nation."""
    answer: dict[str, list[int]] = {}
    pending = {code: code for code in codes}  # area → the area asked now
    for _ in range(5):
        if not pending:
            break
        staff = _staff_bound_to(set(pending.values()))
        for code, asked in list(pending.items()):
            if staff.get(asked):
                answer[code] = staff[asked]
                del pending[code]
        parents = dict(Area.objects.filter(code__in=set(pending.values())).values_list("code", "parent_id"))
        for code, asked in list(pending.items()):
            parent = parents.get(asked)
            if parent is None or parent == below or parent == "000000000000":
                del pending[code]
            else:
                pending[code] = parent
    return answer


def _on_commit(notices: list[Notification]) -> None:
    if notices:
        transaction.on_commit(lambda: Notification.objects.bulk_create(notices, batch_size=1000), robust=True)


def _assignment_link(assignment_id: int) -> str:
    return reverse("supervision:assignment_detail", args=[assignment_id])


def tell_assigned(task, assignments) -> None:
    staff = staff_answering([a.area_id for a in assignments], below=task.area_id)
    _on_commit(
        [
            Notification(
                recipient_id=user_id,
                title=f"督办任务：{task.title}"[:200],
                body=f"{task.area.name}下发，办理期限 {task.due_on:%Y-%m-%d}，请按期报送办理情况。",
                link=_assignment_link(a.pk),
            )
            for a in assignments
            for user_id in staff.get(a.area_id, ())
        ]
    )


def tell_replied(reply) -> None:
    task = reply.assignment.task
    _on_commit(
        [
            Notification(
                recipient_id=task.created_by_id,
                title=f"{reply.area.name}报送了办理情况（{reply.progress}）：{task.title}"[:200],
                body="请审核：采纳或退回。",
                link=_assignment_link(reply.assignment_id),
            )
        ]
    )


def tell_returned(reply, assignment) -> None:
    staff = staff_answering([assignment.area_id], below=assignment.task.area_id).get(assignment.area_id, [])
    recipients = {*staff, reply.submitted_by_id}
    _on_commit(
        [
            Notification(
                recipient_id=user_id,
                title=f"办理情况被退回：{assignment.task.title}"[:200],
                body=f"退回原因：{reply.return_reason}",
                link=_assignment_link(assignment.pk),
            )
            for user_id in sorted(recipients)
        ]
    )


def tell_done(assignment) -> None:
    staff = staff_answering([assignment.area_id], below=assignment.task.area_id).get(assignment.area_id, [])
    _on_commit(
        [
            Notification(
                recipient_id=user_id,
                title=f"督办事项已办结：{assignment.task.title}"[:200],
                body="发文单位已采纳办结情况。",
                link=_assignment_link(assignment.pk),
            )
            for user_id in staff
        ]
    )


def remind_due(today: date) -> int:
    """Remind the receivers of open tasks due within their region's 督办提醒 days (once each). Returns how
    many assignments were reminded."""
    from bangfu.supervision.models import Assignment, ReminderRule

    book = ReminderRule.objects.book(today)
    if not len(book):
        return 0
    horizon = today + timedelta(days=max(rule.remind_days for rule in book.rules))
    candidates = list(
        Assignment.objects.open()
        .filter(reminded_on__isnull=True, due_on__gte=today, due_on__lte=horizon)
        .select_related("task", "task__area")
    )
    due = []
    for assignment in candidates:
        rule = book.for_code(assignment.area_id)
        if rule is not None and assignment.due_on <= today + timedelta(days=rule.remind_days):
            due.append(assignment)
    if not due:
        return 0
    staff = _answering_each(due)
    notices = [
        Notification(
            recipient_id=user_id,
            title=f"督办任务即将到期：{a.task.title}"[:200],
            body=f"办理期限 {a.due_on:%Y-%m-%d}（还有 {(a.due_on - today).days} 天），请及时报送办理情况。",
            link=_assignment_link(a.pk),
        )
        for a in due
        for user_id in staff.get((a.task.area_id, a.area_id), ())
    ]
    Assignment.objects.filter(pk__in=[a.pk for a in due]).update(reminded_on=today)
    _on_commit(notices)
    return len(due)


def escalate_overdue(today: date) -> int:
    """Tell the staff of the level above each receiving area (its parent, up to the sender) of its tasks
    past their due day and not done; each once. Returns how many were reported."""
    from bangfu.supervision.models import Assignment

    overdue = list(
        Assignment.objects.overdue(today).filter(escalated_on__isnull=True).select_related("task", "area")
    )
    if not overdue:
        return 0
    parents = {a.area.parent_id for a in overdue if a.area.parent_id}
    staff_above = staff_answering(parents)
    counts: dict[int, int] = defaultdict(int)
    for a in overdue:
        for user_id in staff_above.get(a.area.parent_id, ()):
            counts[user_id] += 1
    link = reverse("supervision:assignment_list") + "?status=逾期"
    _on_commit(
        [
            Notification(
                recipient_id=user_id,
                title=f"下级有 {n} 项督办任务逾期未办结",
                body="请督促承办区域尽快办理并报送。",
                link=link,
            )
            for user_id, n in sorted(counts.items())
        ]
    )
    Assignment.objects.filter(pk__in=[a.pk for a in overdue]).update(escalated_on=today)
    return len(overdue)


def _answering_each(assignments) -> dict[tuple[str, str], list[int]]:
    by_sender: dict[str, set[str]] = defaultdict(set)
    for a in assignments:
        by_sender[a.task.area_id].add(a.area_id)
    result = {}
    for sender, codes in by_sender.items():
        for code, users in staff_answering(codes, below=sender).items():
            result[(sender, code)] = users
    return result
