"""村级离线工作: what a village or township officer's phone recorded without a signal and sent later.

An `Entry` is one such record as the server received it, kept under the idempotency key the phone gave it
(unique per user): sent again, the same entry answers with its first result and is never applied twice.
It says what it became (the visit, employment record or duty it wrote) or why it could not be applied.
"""

from django.conf import settings
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.registry.models import Person


class EntryKind(models.TextChoices):
    VISIT = "visit", "跟踪回访"
    EMPLOYMENT_START = "employment_start", "登记就业"
    EMPLOYMENT_END = "employment_end", "结束就业"
    DUTY = "duty", "公益性岗位出勤"


class EntryStatus(models.TextChoices):
    APPLIED = "applied", "已登记"
    REJECTED = "rejected", "已退回"


class Entry(models.Model):
    """One offline entry received from a phone (入户采集记录)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    key = models.UUIDField("录入编号")
    kind = models.CharField("类型", max_length=20, choices=EntryKind.choices)
    # The person as the server found them in the officer's scope; null when they were not (then rejected).
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Whose area the entry belongs to: the person's village when received, else the officer's own area.
    area = models.ForeignKey(Area, verbose_name="所在区域", on_delete=models.PROTECT, related_name="+")
    data = models.JSONField("录入内容", default=dict)
    recorded_at = models.DateTimeField("手机录入时间")
    received_at = models.DateTimeField("服务器收到时间")
    status = models.CharField("结果", max_length=10, choices=EntryStatus.choices)
    reason = models.CharField("退回原因", max_length=300, blank=True)
    # What it wrote: "tracking.visit:12", "employment.employmentrecord:7", "posts.duty:3".
    target = models.CharField("登记结果", max_length=60, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "离线录入"
        verbose_name_plural = "离线录入"
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="field_entry_user_key")]
        indexes = [models.Index(fields=["area", "received_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key}（{self.get_status_display()}）"

    def answer(self, *, duplicate: bool = False) -> dict:
        """What the phone is told about this entry, the same every time it asks."""
        return {
            "key": str(self.key),
            "status": self.status,
            "reason": self.reason,
            "received_at": self.received_at.isoformat(),
            "duplicate": duplicate,
        }
