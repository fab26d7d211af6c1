"""Notices: the in-app inbox of each user and the outbox of every text message (SMS) sent."""

from django.conf import settings
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.idnumber import mask_phone


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        """A user's own inbox; nobody reads another's."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class SmsStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class SmsMessage(models.Model):
    """One text message, whatever the gateway did with it: the outbox is the record of what was sent."""

    phone = models.CharField("手机号", max_length=20)
    body = models.TextField("内容")
    # The area the message is about (the laborer's village, the employer's area), for area-scoped lists.
    area = models.ForeignKey(
        Area, verbose_name="所属区域", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ref = models.CharField("关联对象", max_length=60, blank=True)  # e.g. referral:12, fair:3
    status = models.CharField("状态", max_length=10, choices=SmsStatus.choices, default=SmsStatus.PENDING)
    backend = models.CharField("发送通道", max_length=100, blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "短信"
        verbose_name_plural = "短信"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "created_at"]), models.Index(fields=["ref"])]

    def __str__(self):
        return f"{self.masked_phone} {self.body[:20]}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
