"""Referrals (推荐): a laborer put forward for a job, followed step by step to a hire; the services of the
311 norm (career guidance, training notices); and the rules, as data, for norms and automatic referral."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.rules import RegionalRule


class Status(models.TextChoices):
    REFERRED = "推荐", "推荐"
    NOTIFIED = "已通知", "已通知"
    INTERESTED = "有意向", "有意向"
    INTERVIEW = "面试", "面试"
    HIRED = "录用", "录用"
    REJECTED = "未录用", "未录用"
    WITHDRAWN = "放弃", "放弃"


# The allowed moves. 放弃 (the laborer gives up, or died) and 未录用 close a referral at any open stage;
# 录用 needs the employer's interest first (有意向 or 面试).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.REFERRED: (
        Status.NOTIFIED,
        Status.INTERESTED,
        Status.INTERVIEW,
        Status.REJECTED,
        Status.WITHDRAWN,
    ),
    Status.NOTIFIED: (Status.INTERESTED, Status.INTERVIEW, Status.REJECTED, Status.WITHDRAWN),
    Status.INTERESTED: (Status.INTERVIEW, Status.HIRED, Status.REJECTED, Status.WITHDRAWN),
    Status.INTERVIEW: (Status.HIRED, Status.REJECTED, Status.WITHDRAWN),
    Status.HIRED: (),
    Status.REJECTED: (),
    Status.WITHDRAWN: (),
}
OPEN_STATUSES = tuple(s for s, moves in TRANSITIONS.items() if moves)
CLOSED_STATUSES = tuple(s for s, moves in TRANSITIONS.items() if not moves)
# What an enterprise account may answer in the portal.
EMPLOYER_ANSWERS = (Status.INTERESTED, Status.INTERVIEW, Status.HIRED, Status.REJECTED)
# From these steps on, the employer sees the laborer's phone (they have to call to arrange the work).
PHONE_VISIBLE_TO_EMPLOYER = (Status.INTERESTED, Status.INTERVIEW, Status.HIRED)


class LaborerAnswer(models.TextChoices):
    """The laborer's own answer in 劳动者自助服务: 不考虑 gives the referral up (放弃, with a reason)."""

    INTERESTED = "有意向", "有意向"
    DECLINED = "不考虑", "不考虑"


class ReferralQuerySet(AreaScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_employer_account(self, user):
        """Referrals to an enterprise account's own jobs, and only those."""
        from bangfu.jobs.models import Job

        return self.filter(job__in=Job.objects.for_employer_account(user))


class Referral(models.Model):
    person = models.ForeignKey(
        "registry.Person", verbose_name="劳动力", on_delete=models.PROTECT, related_name="referrals"
    )
    job = models.ForeignKey(
        "jobs.Job", verbose_name="岗位", on_delete=models.PROTECT, related_name="referrals"
    )
    # The person's village, kept so that area-scoped lists need no join (as on Person).
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.REFERRED)
    score = models.FloatField("匹配得分", null=True, blank=True)
    reasons = models.JSONField("推荐理由", default=list, blank=True)
    auto = models.BooleanField("系统自动推荐", default=False)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="推荐人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    fair = models.ForeignKey(
        "fairs.JobFair", verbose_name="招聘会", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="referrals",
    )  # fmt: skip
    employment = models.OneToOneField(
        "employment.EmploymentRecord", verbose_name="就业记录", on_delete=models.SET_NULL, null=True,
        blank=True, related_name="referral",
    )  # fmt: skip
    created_at = models.DateTimeField("推荐时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    laborer_answer = models.CharField(
        "本人回复", max_length=10, choices=LaborerAnswer.choices, blank=True, db_default=""
    )
    laborer_answered_at = models.DateTimeField("本人回复时间", null=True, blank=True)

    scope_field = "area"
    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "推荐"
        verbose_name_plural = "推荐"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["area", "created_at"]),
            models.Index(fields=["person", "created_at"]),
            models.Index(fields=["job", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "job"],
                condition=Q(status__in=["推荐", "已通知", "有意向", "面试"]),
                name="one_open_referral_per_person_job",
            )
        ]

    def __str__(self):
        return f"{self.person.name} → {self.job.title}（{self.status}）"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    @property
    def phone_visible_to_employer(self) -> bool:
        return self.status in PHONE_VISIBLE_TO_EMPLOYER


class StepChannel(models.TextChoices):
    STAFF = "staff", "工作人员"
    EMPLOYER = "employer", "用人单位"
    SYSTEM = "system", "系统"
    LABORER = "laborer", "劳动者本人"


class WithdrawReason(models.TextChoices):
    """Why a laborer gave up a referral (放弃), for the follow-up and the statistics."""

    EMPLOYED_ELSEWHERE = "已在其他单位就业", "已在其他单位就业"
    STAYS_HOME = "不愿外出务工", "不愿外出务工"
    WAGE = "工资待遇不满意", "工资待遇不满意"
    TOO_FAR = "工作地点太远", "工作地点太远"
    FAMILY = "家庭原因", "家庭原因"
    HEALTH = "身体原因", "身体原因"
    UNREACHABLE = "联系不上本人", "联系不上本人"
    DECEASED = "已故", "已故"
    OTHER = "其他", "其他"


# The reasons a laborer may give themself for 不考虑 (the others are the staff's or the system's).
LABORER_REASONS = tuple(
    r for r in WithdrawReason if r not in (WithdrawReason.UNREACHABLE, WithdrawReason.DECEASED)
)


class ReferralStep(models.Model):
    referral = models.ForeignKey(
        Referral, verbose_name="推荐", on_delete=models.CASCADE, related_name="steps"
    )
    from_status = models.CharField("原状态", max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=10, choices=Status.choices)
    at = models.DateTimeField("时间", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    channel = models.CharField(
        "操作方", max_length=10, choices=StepChannel.choices, default=StepChannel.STAFF
    )
    note = models.CharField("说明", max_length=300, blank=True)
    # The day the step happened (a phone call yesterday is recorded today); `at` is when it was recorded.
    on = models.DateField("发生日期", default=timezone.localdate)
    reason = models.CharField("原因", max_length=20, choices=WithdrawReason.choices, blank=True)

    class Meta:
        verbose_name = "推荐进展"
        verbose_name_plural = "推荐进展"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


class ServiceKind(models.TextChoices):
    GUIDANCE = "职业指导", "职业指导"
    TRAINING = "培训信息", "培训信息"


class ServiceRecord(models.Model):
    """One career-guidance session or training notice given to a laborer (the "1" and "1" of 311)."""

    person = models.ForeignKey(
        "registry.Person", verbose_name="劳动力", on_delete=models.PROTECT, related_name="services"
    )
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("服务类型", max_length=10, choices=ServiceKind.choices)
    date = models.DateField("服务日期")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="服务人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.CharField("内容", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "就业服务记录"
        verbose_name_plural = "就业服务记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["area", "date"]), models.Index(fields=["person", "kind", "date"])]

    def __str__(self):
        return f"{self.person.name} {self.kind} {self.date}"


class ServiceNorm(RegionalRule):
    """The service norms (服务达标): job offers a year, and the 311 service (referrals, guidance,
    training)."""

    offers_per_year = models.PositiveSmallIntegerField("每年提供岗位次数", default=3)
    referrals_per_year = models.PositiveSmallIntegerField("每年推荐岗位次数（311）", default=3)
    guidance_per_year = models.PositiveSmallIntegerField("每年职业指导次数（311）", default=1)
    training_per_year = models.PositiveSmallIntegerField("每年培训信息次数（311）", default=1)

    class Meta(RegionalRule.Meta):
        verbose_name = "服务达标标准"
        verbose_name_plural = "服务达标标准"

    def __str__(self):
        return (
            f"{self.region_prefix or '全国'} {self.effective_from}起：岗位{self.offers_per_year}次，"
            f"311 = {self.referrals_per_year}/{self.guidance_per_year}/{self.training_per_year}"
        )


class AutoReferralRule(RegionalRule):
    """Whether and how the system refers on its own in a region: each laborer's best matches, up to
    `top` a run, with at least `min_score`, and no more than `per_year` referrals a year per laborer."""

    enabled = models.BooleanField("启用系统自动推荐", default=False)
    top = models.PositiveSmallIntegerField("每人每次最多推荐岗位数", default=1)
    min_score = models.FloatField("最低匹配得分", default=0)
    per_year = models.PositiveSmallIntegerField("每人每年最多自动推荐次数", default=12)

    class Meta(RegionalRule.Meta):
        verbose_name = "自动推荐规则"
        verbose_name_plural = "自动推荐规则"

    def __str__(self):
        state = "启用" if self.enabled else "停用"
        return f"{self.region_prefix or '全国'} {self.effective_from}起：{state}，每人最多{self.top}个岗位"
