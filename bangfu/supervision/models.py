"""督办: supervision tasks sent by an area to areas below it, each receiver's replies (办理情况) and the
sender's review of them; the rectification ledger (整改台账); their attachments; and the 督办提醒 rule
(how many days before the due day receivers are reminded).

A task's status is never stored: each receiving area's status (未办理 / 办理中 / 已办结 / 逾期) is
computed from its replies' facts and the day (`Assignment.status_on` for one, `status_conditions` for
a database query, both from the same order of tests)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet, staff_area
from bangfu.core.rules import RegionalRule

# --- tasks ----------------------------------------------------------------------------------------------


class TaskQuerySet(AreaScopedQuerySet):
    def for_user(self, user):
        """A task is seen by the subtree of the area that sent it (its staff and those above), and by the
        staff of every receiving area and above it (who see only their own receivers' part)."""
        area = staff_area(user)
        if area is None:
            return self.none()
        low, high = area.code_range
        received = Assignment.objects.filter(task=OuterRef("pk"), area__code__range=(low, high))
        return self.filter(Q(area__code__range=(low, high)) | Q(Exists(received)))

    def sent_within(self, area: Area):
        """Tasks sent by `area` or an area below it."""
        return self.filter(area__code__range=area.code_range)


class Task(models.Model):
    """督办任务: sent by the staff of one area (`area`) to one or more areas below it (`assignments`)."""

    area = models.ForeignKey(Area, verbose_name="发文区域", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    content = models.TextField("督办内容")
    due_on = models.DateField("办理期限")
    leader = models.CharField("责任领导", max_length=50)
    unit = models.CharField("责任单位", max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发文人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发文时间", auto_now_add=True)

    scope_field = "area"
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "督办任务"
        verbose_name_plural = "督办任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "created_at"])]

    def __str__(self):
        return self.title


class Status(models.TextChoices):
    """A receiving area's status on a task, computed (never stored)."""

    NEW = "未办理", "未办理"
    IN_HAND = "办理中", "办理中"
    DONE = "已办结", "已办结"
    OVERDUE = "逾期", "逾期"


def status_conditions(today: date) -> list[tuple[str, Q]]:
    """Each status as a condition on assignments, tested in this order (the first that holds): done once
    a 办结 reply was accepted; else overdue past the due day; else in hand once anything was replied."""
    return [
        (Status.DONE, Q(done_on__isnull=False)),
        (Status.OVERDUE, Q(done_on__isnull=True, due_on__lt=today)),
        (Status.IN_HAND, Q(done_on__isnull=True, due_on__gte=today, replied_at__isnull=False)),
        (Status.NEW, Q(done_on__isnull=True, due_on__gte=today, replied_at__isnull=True)),
    ]


def status_q(status: str, today: date) -> Q:
    return dict(status_conditions(today))[status]


class AssignmentQuerySet(AreaScopedQuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, today: date):
        return self.filter(status_q(Status.OVERDUE, today))

    def with_status(self, today: date):
        return self.annotate(
            computed_status=Case(
                *(When(q, then=Value(str(s))) for s, q in status_conditions(today)),
                output_field=models.CharField(),
            )
        )


class Assignment(models.Model):
    """One receiving area of a task (承办区域): its replies, and the facts its status is computed from."""

    task = models.ForeignKey(
        Task, verbose_name="督办任务", on_delete=models.CASCADE, related_name="assignments"
    )
    area = models.ForeignKey(Area, verbose_name="承办区域", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("办理期限")  # the task's, kept here so that the overdue lists need no join
    replied_at = models.DateTimeField("最近报送时间", null=True, blank=True)
    awaiting_review = models.BooleanField("有待审核的办理情况", default=False)
    # The day the accepted 办结 reply was sent (done from then on).
    done_on = models.DateField("办结日期", null=True, blank=True)
    reminded_on = models.DateField("到期提醒日期", null=True, blank=True)  # once (supervision/notify.py)
    escalated_on = models.DateField("逾期上报日期", null=True, blank=True)  # once, to the level above

    scope_field = "area"
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "督办承办区域"
        verbose_name_plural = "督办承办区域"
        ordering = ["task_id", "area_id"]
        constraints = [models.UniqueConstraint(fields=["task", "area"], name="supervision_assignment_key")]
        indexes = [
            # The roll-up lists: a subtree's open assignments by due day.
            models.Index(fields=["area", "done_on", "due_on"], name="supervision_assignment_list"),
            models.Index(fields=["done_on", "due_on"]),
        ]

    def __str__(self):
        return f"{self.task.title}（{self.area.name}）"

    def status_on(self, today: date) -> str:
        """The same tests as `status_conditions`, on one record."""
        if self.done_on is not None:
            return Status.DONE
        if self.due_on < today:
            return Status.OVERDUE
        return Status.IN_HAND if self.replied_at is not None else Status.NEW

    @property
    def done_late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due_on


class Progress(models.TextChoices):
    ONGOING = "进行中", "进行中"
    DONE = "办结", "办结"


class Review(models.TextChoices):
    PENDING = "待审核", "待审核"
    ACCEPTED = "已采纳", "已采纳"
    RETURNED = "已退回", "已退回"


class Reply(models.Model):
    """办理情况: what a receiving area reports, and the sender's review (采纳, or 退回 with a reason)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="承办区域", on_delete=models.CASCADE, related_name="replies"
    )
    area = models.ForeignKey(Area, verbose_name="承办区域", on_delete=models.PROTECT, related_name="+")
    content = models.TextField("办理情况")
    progress = models.CharField("办理进度", max_length=4, choices=Progress.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)
    review = models.CharField("审核", max_length=4, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "办理情况"
        verbose_name_plural = "办理情况"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["area", "submitted_at"])]

    def __str__(self):
        return f"{self.area.name}：{self.progress}（{self.review}）"


# --- the rectification ledger ---------------------------------------------------------------------------


class Source(models.TextChoices):
    INSPECTION = "督查", "督查"
    AUDIT = "审计", "审计"
    PATROL = "巡视", "巡视"
    SELF = "自查", "自查"
    BULLETIN = "上级通报", "上级通报"
    OTHER = "其他", "其他"


class RectStatus(models.TextChoices):
    NEW = "未整改", "未整改"
    IN_HAND = "整改中", "整改中"
    DONE = "已整改", "已整改"
    CLOSED = "已销号", "已销号"  # closed by the area above


OPEN_RECT = (RectStatus.NEW, RectStatus.IN_HAND)


def rect_overdue_q(today: date) -> Q:
    """Past its deadline and not yet rectified (已整改 waiting for 销号 is not overdue)."""
    return Q(status__in=OPEN_RECT, deadline__lt=today)


class Rectification(models.Model):
    """One problem of the 整改台账: where it came from, who answers for it, what is done, and its 销号."""

    area = models.ForeignKey(Area, verbose_name="责任区域", on_delete=models.PROTECT, related_name="+")
    unit = models.CharField("责任单位", max_length=100)
    problem = models.TextField("问题")
    source = models.CharField("问题来源", max_length=4, choices=Source.choices)
    task = models.ForeignKey(
        Task, verbose_name="来源督办任务", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    warning = models.ForeignKey(
        "tracking.Warning",
        verbose_name="来源预警",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    measures = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改时限")
    status = models.CharField("整改状态", max_length=4, choices=RectStatus.choices, default=RectStatus.NEW)
    done_on = models.DateField("整改完成日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_note = models.CharField("销号说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改台账"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "status", "deadline"], name="supervision_rect_list")]

    def __str__(self):
        return self.problem[:40]

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_RECT and self.deadline < today


# --- attachments ----------------------------------------------------------------------------------------


class AttachmentQuerySet(AreaScopedQuerySet):
    def for_user(self, user):
        """A task's files go with the task (its receivers read them); a reply's and a rectification's with
        their own area."""
        area = staff_area(user)
        if area is None:
            return self.none()
        return self.filter(
            Q(task__isnull=True, area__code__range=area.code_range) | Q(task__in=Task.objects.for_user(user))
        )


class Attachment(models.Model):
    """A file kept with a task, a reply or a rectification (its evidence); downloads are audited."""

    task = models.ForeignKey(
        Task, verbose_name="督办任务", on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    reply = models.ForeignKey(
        Reply, verbose_name="办理情况", on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    rectification = models.ForeignKey(
        Rectification,
        verbose_name="整改事项",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )
    # The owner's area (a task's sender, a reply's receiver, a rectification's responsible area).
    area = models.ForeignKey(Area, verbose_name="所属区域", on_delete=models.PROTECT, related_name="+")
    file = models.FileField("文件", upload_to="supervision/%Y/%m/", max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope_field = "area"
    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "督办附件"
        verbose_name_plural = "督办附件"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(task__isnull=False, reply__isnull=True, rectification__isnull=True)
                    | Q(task__isnull=True, reply__isnull=False, rectification__isnull=True)
                    | Q(task__isnull=True, reply__isnull=True, rectification__isnull=False)
                ),
                name="supervision_attachment_one_owner",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def extension(self) -> str:
        return Path(self.name).suffix.lower()


# --- the 督办提醒 rule ----------------------------------------------------------------------------------


class ReminderRule(RegionalRule):
    """督办提醒: how many days before a task's due day its receivers are reminded (once)."""

    remind_days = models.PositiveSmallIntegerField("到期前提醒天数", default=3)

    class Meta(RegionalRule.Meta):
        verbose_name = "督办提醒"
        verbose_name_plural = "督办提醒"

    def __str__(self):
        return f"{self.region_prefix or '全国'} {self.effective_from}起：到期前 {self.remind_days} 天提醒"


# The national version as first seeded (migration 0002, and after a test flush: apps.py).
NATIONAL_REMINDER = {
    "region_prefix": "",
    "effective_from": date(2000, 1, 1),
    "remind_days": 3,
    "note": "系统默认值",
}


def ensure_national_reminder_rule() -> None:
    if not ReminderRule.objects.exists():
        ReminderRule.objects.create(**NATIONAL_REMINDER)
