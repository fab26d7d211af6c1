"""Job fairs (招聘会): events with employers and jobs, laborers invited by matching, attendance and
outcomes; and online interviews with a link to a video meeting."""

import secrets

from django.conf import settings
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.fairs import meetings


class FairKind(models.TextChoices):
    SPECIAL = "专场招聘会", "专场招聘会"
    TO_VILLAGES = "送岗下乡", "送岗下乡"
    CARAVAN = "招聘大篷车", "招聘大篷车"
    ONLINE = "线上招聘会", "线上招聘会"


class FairStatus(models.TextChoices):
    PLANNED = "筹备中", "筹备中"
    OPEN = "进行中", "进行中"
    DONE = "已结束", "已结束"
    CANCELLED = "已取消", "已取消"


class JobFair(models.Model):
    kind = models.CharField("类型", max_length=10, choices=FairKind.choices, default=FairKind.SPECIAL)
    title = models.CharField("名称", max_length=100)
    # The host area: its laborers are the ones invited.
    area = models.ForeignKey(Area, verbose_name="举办地", on_delete=models.PROTECT, related_name="+")
    venue = models.CharField("地点", max_length=200, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    status = models.CharField("状态", max_length=10, choices=FairStatus.choices, default=FairStatus.PLANNED)
    description = models.TextField("说明", blank=True)
    employers = models.ManyToManyField(
        "employers.Employer", verbose_name="参会单位", blank=True, related_name="fairs"
    )
    jobs = models.ManyToManyField("jobs.Job", verbose_name="参会岗位", blank=True, related_name="fairs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "招聘会"
        verbose_name_plural = "招聘会"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["area", "starts_at"])]

    def __str__(self):
        return self.title


class Invitation(models.Model):
    fair = models.ForeignKey(
        JobFair, verbose_name="招聘会", on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name="劳动力", on_delete=models.PROTECT, related_name="fair_invitations"
    )
    # The fair job that matched best; the laborer may talk to every employer there.
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name="匹配岗位",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    score = models.FloatField("匹配得分", null=True, blank=True)
    reasons = models.JSONField("匹配理由", default=list, blank=True)
    invited_at = models.DateTimeField("邀请时间", auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="邀请人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    attended = models.BooleanField("已到场", default=False)
    attended_at = models.DateTimeField("签到时间", null=True, blank=True)

    scope_field = "fair__area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "招聘会邀请"
        verbose_name_plural = "招聘会邀请"
        ordering = ["fair", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "person"], name="one_invitation_per_fair_person")
        ]

    def __str__(self):
        return f"{self.person.name} @ {self.fair.title}"


def meeting_token() -> str:
    return secrets.token_urlsafe(12).replace("_", "x").replace("-", "y")


class Interview(models.Model):
    """An interview of one laborer for one job, from a referral or at a fair: online (with a link to a video
    meeting) or on site (at a venue)."""

    referral = models.ForeignKey(
        "referrals.Referral", verbose_name="推荐", on_delete=models.CASCADE, null=True, blank=True,
        related_name="interviews",
    )  # fmt: skip
    fair = models.ForeignKey(
        JobFair,
        verbose_name="招聘会",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interviews",
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name="劳动力", on_delete=models.PROTECT, related_name="interviews"
    )
    job = models.ForeignKey(
        "jobs.Job", verbose_name="岗位", on_delete=models.PROTECT, related_name="interviews"
    )
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField("面试时间")
    # Online: a video meeting at `meeting_url`; on site: at `venue`.
    online = models.BooleanField("线上面试", default=True)
    venue = models.CharField("面试地点", max_length=200, blank=True)
    token = models.CharField("会议口令", max_length=40, unique=True, default=meeting_token)
    meeting_url = models.CharField("会议链接", max_length=300, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="安排人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("安排时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "面试"
        verbose_name_plural = "面试"
        ordering = ["scheduled_at", "id"]

    def __str__(self):
        return f"{self.person.name} → {self.job.title} {self.scheduled_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.online and not self.meeting_url:
            self.meeting_url = meetings.url(self.token)
        super().save(*args, **kwargs)

    @property
    def where(self) -> str:
        """线上视频面试 or the venue, as the texts and pages say it."""
        return "线上视频面试" if self.online else (self.venue or "现场面试")
