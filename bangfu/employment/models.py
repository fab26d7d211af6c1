"""Employment records (就业记录): one spell of work of one person. The trajectory of a laborer is all of
their records; records come from referrals (a hire), data comparison, village entry and follow-up."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.background import Runner
from bangfu.employers.models import Employer
from bangfu.registry.models import ImportStatus, Person


class Place(models.TextChoices):
    COUNTY = "县内", "县内"
    PROVINCE = "省内县外", "省内县外"
    OUTSIDE = "省外", "省外"


class Channel(models.TextChoices):
    ORGANISED = "有组织输出", "有组织输出"
    SELF = "自主外出", "自主外出"
    WELFARE_POST = "公益性岗位", "公益性岗位"
    WORKSHOP = "扶贫车间", "扶贫车间"
    ENTREPRENEURSHIP = "自主创业", "自主创业"
    FLEXIBLE = "灵活就业", "灵活就业"
    REFERRAL = "推荐就业", "推荐就业"
    OTHER = "其他", "其他"


class Source(models.TextChoices):
    MANUAL = "manual", "人工录入"
    REFERRAL = "referral", "推荐录用"
    COMPARE = "compare", "数据比对"
    EMPLOYER = "employer", "企业报送"
    FOLLOW_UP = "follow_up", "跟踪回访"
    IMPORT = "import", "就业信息导入"  # `bangfu import employment`, EXCHANGE §5
    ROSTER = "roster", "名册导入"  # a registry import's 务工状态 that no record explained (employer unknown)
    RECEIVING = "receiving", "输入地确认"  # recorded by staff of the area where the person works


class EndReason(models.TextChoices):  # EXCHANGE §5 离职原因
    CONTRACT_ENDED = "合同到期", "合同到期"
    DISMISSED = "解除劳动关系", "解除劳动关系"
    RETURNED = "返乡", "返乡"
    CHANGED_JOB = "转岗", "转岗"
    OTHER = "其他", "其他"


class EmploymentRecord(models.Model):
    # person and area are indexed by the two composite indexes of Meta, led by them; single-column indexes
    # beside those would only cost every insert of an import two more index writes.
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="employments", db_index=False
    )
    # The person's village when the record was made, kept so that area-scoped lists need no join.
    # The foreign keys to areas and users have no database constraint (Django still enforces on_delete):
    # areas and users are never deleted, and PostgreSQL would check each key of a million-row import one
    # query at a time at commit (bench: docs/benchmarks.md, 就业信息).
    area = models.ForeignKey(
        Area,
        verbose_name="所在村",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name="用人单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employments",
    )
    employer_name = models.CharField("单位名称", max_length=100, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name="岗位",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employments",
    )
    work_area = models.ForeignKey(
        Area,
        verbose_name="工作地",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    place = models.CharField("务工地域", max_length=10, choices=Place.choices, blank=True)
    channel = models.CharField("就业渠道", max_length=10, choices=Channel.choices, blank=True)
    started_on = models.DateField("入职日期")
    ended_on = models.DateField("离职日期", null=True, blank=True)
    end_reason = models.CharField(
        "离职原因", max_length=10, choices=EndReason.choices, blank=True, db_default=""
    )
    monthly_wage = models.PositiveIntegerField("月工资", null=True, blank=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.MANUAL)
    # What created it: a referral id, a comparison finding id …, for the trail back.
    source_ref = models.CharField("来源编号", max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    # The receiving area's read (areas/scope.py `for_receiving_user`): staff where the person works see the
    # record while it is in force (started, not ended before today).
    receiving_scope_field = "work_area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "就业记录"
        verbose_name_plural = "就业记录"
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["area", "started_on"]), models.Index(fields=["person", "started_on"])]

    def __str__(self):
        return f"{self.person.name} @ {self.employer_name or '—'} {self.started_on}"

    @staticmethod
    def receiving_now() -> models.Q:
        today = timezone.localdate()
        return models.Q(started_on__lte=today) & (
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=today)
        )

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class MismatchStatus(models.TextChoices):
    OPEN = "open", "待处理"
    ENDED = "ended", "已结束记录"
    KEPT = "kept", "保留记录"


class Mismatch(models.Model):
    """名册与就业记录不一致: a registry import said 未务工 while a record was in force. The records stay the
    truth until staff settle it: end the record (with date and reason) or keep it. One entry per
    (person, record), so importing the same file again adds nothing."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(
        EmploymentRecord, verbose_name="在职记录", on_delete=models.CASCADE, related_name="mismatches"
    )
    # The person's village, so that area-scoped lists need no join (as EmploymentRecord.area).
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    claimed_status = models.CharField("名册务工状态", max_length=10, default="未务工")
    found_on = models.DateField("发现日期")
    batch = models.ForeignKey(
        "registry.ImportBatch",
        verbose_name="导入批次",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        "处理状态", max_length=10, choices=MismatchStatus.choices, default=MismatchStatus.OPEN
    )
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    settled_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.CharField("处理说明", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "名册与就业记录不一致"
        verbose_name_plural = "名册与就业记录不一致"
        ordering = ["-found_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "record"], name="employment_mismatch_unique")
        ]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self):
        return f"{self.person.name}：名册{self.claimed_status}，就业记录在职"


class EmploymentImport(Runner):
    """One employment records file (EXCHANGE §5) imported into an area (`bangfu import employment`, 导入就业
    信息): the file kept, with its counts and its error report. The records are saved in one transaction,
    so an interrupted import saved nothing and is simply run again."""

    area = models.ForeignKey(Area, verbose_name="导入区域", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    file = models.FileField("文件", upload_to="imports/employment/%Y/%m/", max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    phase = models.CharField("进度", max_length=100, blank=True)
    total_rows = models.PositiveIntegerField("数据行", default=0)
    valid_rows = models.PositiveIntegerField("有效行", default=0)
    error_rows = models.PositiveIntegerField("错误行", default=0)
    created = models.PositiveIntegerField("新增记录", default=0)
    updated = models.PositiveIntegerField("更新记录", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    status_changed = models.PositiveIntegerField("务工状态变化人数", default=0)
    message = models.TextField("说明", blank=True)
    report = models.FileField(
        "错误报告", upload_to="import-reports/employment/%Y/%m/", max_length=300, blank=True
    )
    # The first errors (exchange.errors.error_list: row, column, value, reason), listed on the result page.
    errors = models.JSONField("错误明细", default=list, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "就业信息导入"
        verbose_name_plural = "就业信息导入"
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
            "导入中断：处理进程已停止（被终止、崩溃或服务重启）。就业记录在一个事务中保存，未保存任何记录。"
            "点“重新导入”重新处理该文件。"
        )

    @property
    def report_filename(self) -> str:
        """The error report as the user downloads it: named after their file, never the stored name."""
        return f"{Path(self.original_name).stem}-错误报告.xlsx"
