"""Every write of 督办: sending a task, replying, reviewing a reply, the rectification ledger's entries,
their progress and 销号, and the audited download of an attachment. Each is one transaction with its
audit event inside; notices are written once it commits (supervision/notify.py)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.areas.scope import staff_area
from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.supervision import notify
from bangfu.supervision.files import check_uploads, clean_name
from bangfu.supervision.models import (
    Assignment,
    Attachment,
    Progress,
    Rectification,
    RectStatus,
    Reply,
    Review,
    Source,
    Task,
)

MAX_RECEIVERS = 5000


def _actor_area(actor) -> Area:
    area = staff_area(actor)
    if area is None:
        raise PermissionDenied("只有绑定管辖区域的工作人员可以办理督办事项。")
    return area


def _strictly_below(upper: Area, lower: Area | str) -> bool:
    code = lower if isinstance(lower, str) else lower.code
    return code != upper.code and upper.contains(code)


def _save_files(actor, uploads, *, area_code: str, **owner) -> list[Attachment]:
    saved = []
    for upload in uploads:
        name = clean_name(upload.name)
        attachment = Attachment(area_id=area_code, name=name, size=upload.size, uploaded_by=actor, **owner)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def _files_note(files: list[Attachment]) -> str:
    return f"，附件 {len(files)} 个：{'、'.join(f.name for f in files)}" if files else ""


# --- tasks --------------------------------------------------------------------------------------------


def receiving_areas(actor, *, all_children: bool = False, codes=()) -> list[Area]:
    """The areas a task goes to: every current child area of the actor's, or the areas named by code
    (any level below the actor's, inside the subtree). A ValidationError names codes that are not."""
    area = _actor_area(actor)
    if all_children:
        return list(Area.objects.filter(parent=area, is_current=True).order_by("code"))
    found, wrong = {}, []
    for raw in codes:
        raw = str(raw).strip()
        if not raw:
            continue
        target = Area.objects.in_scope(actor, raw)
        if target is None or not _strictly_below(area, target):
            wrong.append(raw)
        else:
            found[target.code] = target
    if wrong:
        raise ValidationError(f"以下区域不在本辖区的下级范围内：{'、'.join(wrong[:20])}")
    return [found[code] for code in sorted(found)]


@transaction.atomic
def create_task(
    actor, *, title: str, content: str, due_on: date, leader: str, unit: str, areas, files=()
) -> Task:
    """Send a task from the actor's area to `areas` (each below it); its receivers are told."""
    sender = _actor_area(actor)
    areas = list({a.code: a for a in areas}.values())
    if not areas:
        raise ValidationError("请至少选择一个承办区域。")
    if len(areas) > MAX_RECEIVERS:
        raise ValidationError(f"一项督办任务最多下发 {MAX_RECEIVERS} 个区域。")
    if any(not _strictly_below(sender, a) for a in areas):
        raise ValidationError("承办区域须是本辖区的下级区域。")
    if due_on < timezone.localdate():
        raise ValidationError("办理期限不能早于今天。")
    title, leader, unit = (title or "").strip(), (leader or "").strip(), (unit or "").strip()
    if not (title and (content or "").strip() and leader and unit):
        raise ValidationError("标题、督办内容、责任领导和责任单位都须填写。")
    uploads = check_uploads(files)
    task = Task.objects.create(
        area=sender, title=title[:200], content=content.strip(), due_on=due_on, leader=leader[:50],
        unit=unit[:100], created_by=actor,
    )  # fmt: skip
    assignments = Assignment.objects.bulk_create(
        [Assignment(task=task, area=a, due_on=due_on) for a in sorted(areas, key=lambda a: a.code)]
    )
    saved = _save_files(actor, uploads, area_code=sender.code, task=task)
    audit(
        Action.CREATE,
        actor=actor,
        obj=task,
        message=f"下发督办任务“{task.title}”至 {len(assignments)} 个区域"
        f"（{'、'.join(a.name for a in areas[:10])}{'等' if len(areas) > 10 else ''}），"
        f"办理期限 {due_on:%Y-%m-%d}" + _files_note(saved),
        after=snapshot(task),
    )
    notify.tell_assigned(task, assignments)
    return task


def can_reply(user, assignment: Assignment) -> bool:
    """Staff of the receiving area, or between it and the sender (a township for its village), may
    report; the sender and the levels above it review instead."""
    area = staff_area(user)
    return (
        area is not None
        and area.contains(assignment.area_id)
        and _strictly_below(assignment.task.area, area)
        and assignment.done_on is None
    )


def can_review(user, task: Task) -> bool:
    """The staff of the area that sent the task accept or return its replies."""
    area = staff_area(user)
    return area is not None and area.code == task.area_id


def _locked_assignment(actor, assignment: Assignment) -> Assignment:
    locked = (
        Assignment.objects.for_user(actor)
        .select_for_update()
        .filter(pk=assignment.pk)
        .select_related("task", "task__area", "area")
        .first()
    )
    if locked is None:
        raise PermissionDenied("该督办事项不在您的管辖区域内。")
    return locked


@transaction.atomic
def submit_reply(actor, assignment: Assignment, *, content: str, progress: str, files=()) -> Reply:
    """A receiving area reports what it did (办理情况), 进行中 or 办结; the sender reviews it."""
    assignment = _locked_assignment(actor, assignment)
    if assignment.done_on is not None:
        raise ValidationError("该督办事项已办结，不能再报送。")
    if not can_reply(actor, assignment):
        raise PermissionDenied("只有承办区域（或其上级、发文区域以下）的工作人员可以报送办理情况。")
    if assignment.awaiting_review:
        raise ValidationError("上一次报送的办理情况尚待发文单位审核，审核后再报送。")
    if progress not in Progress.values:
        raise ValidationError("请选择办理进度：进行中或办结。")
    content = (content or "").strip()
    if not content:
        raise ValidationError("请填写办理情况。")
    uploads = check_uploads(files)
    reply = Reply.objects.create(
        assignment=assignment, area=assignment.area, content=content, progress=progress, submitted_by=actor
    )
    saved = _save_files(actor, uploads, area_code=assignment.area_id, reply=reply)
    assignment.replied_at = reply.submitted_at
    assignment.awaiting_review = True
    assignment.save(update_fields=["replied_at", "awaiting_review"])
    audit(
        Action.CREATE,
        actor=actor,
        obj=reply,
        message=f"报送办理情况（{progress}）：“{assignment.task.title}”，{assignment.area.name}"
        + _files_note(saved),
    )
    notify.tell_replied(reply)
    return reply


@transaction.atomic
def review_reply(actor, reply: Reply, *, accept: bool, reason: str = "") -> Reply:
    """The sender accepts a reply (a 办结 one closes the area's part of the task, as of the day it was
    sent) or returns it with a reason, and the receiving area is told."""
    assignment = _locked_assignment(actor, reply.assignment)
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if not can_review(actor, assignment.task):
        raise PermissionDenied("只有发文区域的工作人员可以审核办理情况。")
    if reply.review != Review.PENDING:
        raise ValidationError(f"该办理情况已{reply.review[1:]}，不能再审核。")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError("退回须说明原因。")
    reply.review = Review.ACCEPTED if accept else Review.RETURNED
    reply.reviewed_by, reply.reviewed_at = actor, timezone.now()
    reply.return_reason = "" if accept else reason[:300]
    reply.save(update_fields=["review", "reviewed_by", "reviewed_at", "return_reason"])
    fields = ["awaiting_review"]
    assignment.awaiting_review = False
    if accept and reply.progress == Progress.DONE:
        assignment.done_on = timezone.localdate(reply.submitted_at)
        fields.append("done_on")
    assignment.save(update_fields=fields)
    audit(
        Action.UPDATE,
        actor=actor,
        obj=reply,
        message=(
            f"{'采纳' if accept else '退回'}{assignment.area.name}的办理情况（{reply.progress}）："
            f"“{assignment.task.title}”" + ("" if accept else f"，原因：{reason}")
        ),
    )
    if not accept:
        notify.tell_returned(reply, assignment)
    elif assignment.done_on:
        notify.tell_done(assignment)
    return reply


# --- the rectification ledger ---------------------------------------------------------------------------

RECT_FIELDS = ["unit", "problem", "source", "task", "warning", "measures", "deadline", "status", "done_on"]


@transaction.atomic
def create_rectification(
    actor, *, area: Area, unit: str, problem: str, source: str, deadline: date, measures: str = "",
    task: Task | None = None, warning=None, files=(),
) -> Rectification:  # fmt: skip
    """Enter a problem in the ledger for an area of the actor's subtree; a linked task or warning must be
    one the actor sees."""
    from bangfu.tracking.models import Warning

    _actor_area(actor)
    if not Area.objects.for_user(actor).filter(code=area.code).exists():
        raise PermissionDenied("责任区域不在您的管辖区域内。")
    if task is not None and not Task.objects.for_user(actor).filter(pk=task.pk).exists():
        raise PermissionDenied("来源督办任务不在您的管辖区域内。")
    if warning is not None and not Warning.objects.for_user(actor).filter(pk=warning.pk).exists():
        raise PermissionDenied("来源预警不在您的管辖区域内。")
    if source not in Source.values:
        raise ValidationError("请选择问题来源。")
    problem, unit = (problem or "").strip(), (unit or "").strip()
    if not problem or not unit:
        raise ValidationError("问题和责任单位都须填写。")
    uploads = check_uploads(files)
    item = Rectification.objects.create(
        area=area, unit=unit[:100], problem=problem, source=source, task=task, warning=warning,
        measures=(measures or "").strip(), deadline=deadline, created_by=actor,
    )  # fmt: skip
    saved = _save_files(actor, uploads, area_code=area.code, rectification=item)
    audit(
        Action.CREATE,
        actor=actor,
        obj=item,
        message=f"登记整改事项（{source}）：{item}，责任区域 {area.name}" + _files_note(saved),
        after=snapshot(item, RECT_FIELDS),
    )
    return item


def _locked_rect(actor, item: Rectification) -> Rectification:
    locked = Rectification.objects.for_user(actor).select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise PermissionDenied("该整改事项不在您的管辖区域内。")
    return locked


@transaction.atomic
def update_rectification(
    actor, item: Rectification, *, measures: str, status: str, files=()
) -> Rectification:
    """The responsible area (or above) records its measures, progress and evidence; 销号 is the level
    above's (close_rectification)."""
    item = _locked_rect(actor, item)
    if item.status == RectStatus.CLOSED:
        raise ValidationError("该整改事项已销号，不能再修改。")
    if status not in (RectStatus.NEW, RectStatus.IN_HAND, RectStatus.DONE):
        raise ValidationError("整改状态只能改为未整改、整改中或已整改（销号由上级办理）。")
    uploads = check_uploads(files)
    before = snapshot(item, RECT_FIELDS)
    item.measures = (measures or "").strip()
    if status == RectStatus.DONE and item.status != RectStatus.DONE:
        item.done_on = timezone.localdate()
    elif status != RectStatus.DONE:
        item.done_on = None
    item.status = status
    item.save(update_fields=["measures", "status", "done_on", "updated_at"])
    saved = _save_files(actor, uploads, area_code=item.area_id, rectification=item)
    audit(
        Action.UPDATE,
        actor=actor,
        obj=item,
        message=f"更新整改情况（{status}）：{item}" + _files_note(saved),
        before=before,
        after=snapshot(item, RECT_FIELDS),
    )
    return item


def can_close(user, item: Rectification) -> bool:
    area = staff_area(user)
    return area is not None and _strictly_below(area, item.area_id) and item.status == RectStatus.DONE


@transaction.atomic
def close_rectification(actor, item: Rectification, *, on: date, note: str) -> Rectification:
    """销号: the area above the responsible one confirms the rectification, with the day and a note."""
    item = _locked_rect(actor, item)
    area = _actor_area(actor)
    if not _strictly_below(area, item.area_id):
        raise PermissionDenied("销号须由责任区域的上级区域办理。")
    if item.status != RectStatus.DONE:
        raise ValidationError("只有已整改的事项可以销号。")
    note = (note or "").strip()
    if not note:
        raise ValidationError("销号须填写说明。")
    if on > timezone.localdate():
        raise ValidationError("销号日期不能晚于今天。")
    before = snapshot(item, [*RECT_FIELDS, "closed_on", "close_note"])
    item.status, item.closed_on, item.closed_by, item.close_note = RectStatus.CLOSED, on, actor, note[:300]
    item.save(update_fields=["status", "closed_on", "closed_by", "close_note", "updated_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=item,
        message=f"整改事项销号：{item}，{on:%Y-%m-%d}，{note}",
        before=before,
        after=snapshot(item, [*RECT_FIELDS, "closed_on", "close_note"]),
    )
    return item


# --- attachments ----------------------------------------------------------------------------------------


@transaction.atomic
def record_download(actor, attachment: Attachment) -> None:
    """Every download of an attachment is audited (who, which file, whose area)."""
    audit(Action.EXPORT, actor=actor, obj=attachment, message=f"下载督办附件：{attachment.name}")
