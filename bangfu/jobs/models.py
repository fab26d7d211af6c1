"""Jobs (岗位) coded with the national occupational classification (职业分类大典)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.background import STOPPED_LABEL, Runner
from bangfu.core.rules import RegionalRule
from bangfu.employers.models import Employer
from bangfu.registry import vocab
from bangfu.registry.vocab import choices


class Occupation(models.Model):
    """One node of the 2022 classification: 大类 (level 1) → 中类 → 小类 → 细类 (level 4, e.g. 6-18-02-04)."""

    code = models.CharField("职业代码", max_length=12, primary_key=True)
    name = models.CharField("职业名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级")
    parent = models.ForeignKey(
        "self", verbose_name="上级", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = "职业"
        verbose_name_plural = "职业"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class JobQuerySet(AreaScopedQuerySet):
    def open_on(self, day):
        """Jobs still taking people on `day`: open, openings left, deadline not passed."""
        return self.filter(status=Job.Status.OPEN, openings_left__gt=0).exclude(deadline__lt=day)

    def postings_for(self, user):
        """Open postings any staff member may browse and refer to, wherever the job is: a Hunan county
        refers its laborers to Guangdong jobs. Managing a job (edit, close) still goes through for_user."""
        if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff_account:
            return self.none()
        return self.filter(status=Job.Status.OPEN)

    def for_employer_account(self, user):
        """An enterprise account's own jobs, and only those."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(employer__accounts=user)


class Job(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "招聘中"
        CLOSED = "closed", "已结束"

    employer = models.ForeignKey(
        Employer, verbose_name="用人单位", on_delete=models.PROTECT, related_name="jobs"
    )
    number = models.CharField("岗位编号", max_length=40)
    title = models.CharField("岗位名称", max_length=100)
    occupation = models.ForeignKey(
        Occupation, verbose_name="职业", on_delete=models.PROTECT, null=True, blank=True, related_name="jobs"
    )
    occupation_inferred = models.BooleanField("职业代码由岗位名称推断", default=False)
    occupation_confidence = models.FloatField("推断可信度", null=True, blank=True)
    openings = models.PositiveIntegerField("招聘人数")
    openings_left = models.PositiveIntegerField("剩余名额")
    # Where the work is (6- to 12-digit code stored as the Area it names).
    area = models.ForeignKey(Area, verbose_name="工作地点", on_delete=models.PROTECT, related_name="jobs")
    wage_min = models.PositiveIntegerField("月薪下限", null=True, blank=True)
    wage_max = models.PositiveIntegerField("月薪上限", null=True, blank=True)
    age_min = models.PositiveSmallIntegerField("年龄下限", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("年龄上限", null=True, blank=True)
    sex_required = models.CharField("性别要求", max_length=2, choices=choices(vocab.SEXES), blank=True)
    education_min = models.CharField(
        "学历要求", max_length=10, choices=choices(vocab.EDUCATIONS), blank=True
    )  # blank: 不限
    board_and_lodging = models.BooleanField("包吃住", null=True, blank=True)
    skills_required = models.CharField("技能要求", max_length=200, blank=True)
    deadline = models.DateField("截止日期", null=True, blank=True)
    suits_low_skill = models.BooleanField("适合低技能脱贫劳动力", default=False)
    suits_low_skill_by_rule = models.BooleanField("适合标记由规则设定", default=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("发布时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        constraints = [models.UniqueConstraint(fields=["employer", "number"], name="job_number_per_employer")]
        indexes = [models.Index(fields=["area", "status"]), models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.title}（{self.employer.name}）"

    @property
    def wage_text(self) -> str:
        if self.wage_min and self.wage_max:
            return f"{self.wage_min}–{self.wage_max} 元/月"
        if self.wage_min:
            return f"{self.wage_min} 元/月起"
        if self.wage_max:
            return f"最高 {self.wage_max} 元/月"
        return "面议"

    @property
    def age_text(self) -> str:
        if self.age_min and self.age_max:
            return f"{self.age_min}–{self.age_max} 岁"
        if self.age_min:
            return f"{self.age_min} 岁以上"
        if self.age_max:
            return f"{self.age_max} 岁以下"
        return "不限"

    @property
    def is_expired(self) -> bool:
        """Still open but past its 截止日期 (the deadline day itself still counts): shown as 已过期 and
        matched on no path (`open_on`)."""
        return (
            self.status == self.Status.OPEN
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    @property
    def state(self) -> str:
        """招聘中, 已过期 or 已结束, as the pages show it."""
        return "已过期" if self.is_expired else self.get_status_display()

    def is_taking_on(self, day) -> bool:
        """Open, with openings left and the deadline not passed: what `open_on` selects."""
        return (
            self.status == self.Status.OPEN
            and self.openings_left > 0
            and (self.deadline is None or self.deadline >= day)
        )


class SuitabilityRule(RegionalRule):
    """Rules are data: when a job counts as suitable for low-skill poor laborers (技能要求和入职门槛相对较低).

    A job follows the rule in force for its work area (`bangfu.core.rules`: the deepest region, then the
    latest effective date); `suitability.judge` applies it.
    """

    max_education = models.CharField(
        "学历要求最高为", max_length=10, choices=choices(vocab.EDUCATIONS), default="初中"
    )
    occupation_groups = models.JSONField(
        "低门槛职业类别", default=list, help_text="职业代码前缀，如 4-02、6；岗位职业属于其中之一才算低门槛。"
    )
    max_skills_chars = models.PositiveSmallIntegerField("技能要求最长字数", default=30)
    demanding_words = models.JSONField("表示门槛高的词", default=list, blank=True)
    easy_words = models.JSONField("表示门槛低的词", default=list, blank=True)

    class Meta(RegionalRule.Meta):
        verbose_name = "低技能适合规则"
        verbose_name_plural = "低技能适合规则"

    def __str__(self):
        return f"{self.region_prefix or '全国'} {self.effective_from} 起"

    def clean(self):
        super().clean()
        groups = self.occupation_groups or []
        if not isinstance(groups, list) or not groups:
            raise ValidationError({"occupation_groups": "至少填写一个职业类别。"})
        known = set(Occupation.objects.filter(pk__in=groups).values_list("pk", flat=True))
        unknown = [g for g in groups if g not in known]
        if unknown:
            raise ValidationError({"occupation_groups": f"不是职业分类大典的代码：{'、'.join(unknown)}"})


class ImportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    STOPPED = "stopped", STOPPED_LABEL  # its process is gone (core.background)


class JobImport(Runner):
    """One jobs file (EXCHANGE.md §2) imported into an area: kept with its counts and its error report."""

    area = models.ForeignKey(Area, verbose_name="导入区域", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    file = models.FileField("文件", upload_to="imports/jobs/%Y/%m/", max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField("数据行", default=0)
    valid_rows = models.PositiveIntegerField("有效行", default=0)
    error_rows = models.PositiveIntegerField("错误行", default=0)
    created = models.PositiveIntegerField("新增岗位", default=0)
    updated = models.PositiveIntegerField("更新岗位", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    employers_created = models.PositiveIntegerField("新增单位", default=0)
    message = models.TextField("说明", blank=True)
    report = models.FileField("错误报告", upload_to="import-reports/jobs/%Y/%m/", max_length=300, blank=True)
    # The first errors (exchange.errors.error_list: row, column, value, reason), listed on the result page.
    errors = models.JSONField("错误明细", default=list, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "岗位导入"
        verbose_name_plural = "岗位导入"
        indexes = [models.Index(fields=["area", "created_at"])]

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.STOPPED)

    @property
    def resumable(self) -> bool:
        return self.status == ImportStatus.STOPPED

    def stopped_message(self) -> str:
        return (
            "导入中断：处理进程已停止（被终止、崩溃或服务重启）。岗位在一个事务中保存，未保存任何岗位。"
            "点“重新导入”重新处理该文件。"
        )

    @property
    def report_filename(self) -> str:
        """The error report as the user downloads it: named after their file, never the stored name."""
        return f"{Path(self.original_name).stem}-错误报告.xlsx"
