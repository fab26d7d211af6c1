"""三线跟踪: follow-up visits (跟踪回访), early warnings (预警) as work with a responsible person, and the
rules that set their rhythm. Employment records themselves are `employment.EmploymentRecord`; the
trajectory of a laborer is read from records, referrals, visits, warnings and field history together."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.background import STOPPED_LABEL, Runner
from bangfu.core.rules import RegionalRule
from bangfu.registry.models import Household, Person

# --- follow-up visits ------------------------------------------------------------------------------------


class VisitMethod(models.TextChoices):  # EXCHANGE §6 回访方式
    PHONE = "电话", "电话"
    WECHAT = "微信", "微信"
    HOME = "上门", "上门"
    WINDOW = "窗口", "窗口"


class VisitResult(models.TextChoices):  # EXCHANGE §6 回访结果
    AT_WORK = "在岗", "在岗"
    LEFT = "已离职", "已离职"
    RETURNED = "返乡", "返乡"
    UNWILLING = "不愿就业", "不愿就业"
    UNREACHABLE = "联系不上", "联系不上"


class VisitSource(models.TextChoices):
    MANUAL = "手工", "手工"
    IMPORT = "导入", "导入"
    RECEIVING = "输入地", "输入地"  # recorded by staff of the area where the person works


class Visit(models.Model):
    """One follow-up contact with a laborer. Identified by (person, visited_on, method) as in §6; the
    same visit imported again updates it."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="visits")
    # The person's village when visited, kept so that area-scoped lists need no join (as on Person).
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField("回访日期")
    method = models.CharField("回访方式", max_length=4, choices=VisitMethod.choices)
    result = models.CharField("回访结果", max_length=6, choices=VisitResult.choices)
    note = models.CharField("备注", max_length=300, blank=True)
    source = models.CharField("来源", max_length=6, choices=VisitSource.choices, default=VisitSource.MANUAL)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="回访人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "跟踪回访"
        verbose_name_plural = "跟踪回访"
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "visited_on", "method"], name="tracking_visit_key")
        ]
        indexes = [models.Index(fields=["area", "visited_on"])]

    def __str__(self):
        return f"{self.person.name} {self.visited_on} {self.method}：{self.result}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    STOPPED = "stopped", STOPPED_LABEL  # its process is gone (core.background)


class VisitImport(Runner):
    """One visits file (EXCHANGE §6) imported into an area: kept with its counts and its error report."""

    area = models.ForeignKey(Area, verbose_name="导入区域", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    file = models.FileField("文件", upload_to="imports/visits/%Y/%m/", max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField("数据行", default=0)
    valid_rows = models.PositiveIntegerField("有效行", default=0)
    error_rows = models.PositiveIntegerField("错误行", default=0)
    created = models.PositiveIntegerField("新增回访", default=0)
    updated = models.PositiveIntegerField("更新回访", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    records_ended = models.PositiveIntegerField("结束就业记录", default=0)
    flagged = models.PositiveIntegerField("列入联系不上", default=0)
    cleared = models.PositiveIntegerField("移出联系不上", default=0)
    unrecorded_work = models.PositiveIntegerField("在岗但无就业记录", default=0)
    message = models.TextField("说明", blank=True)
    report = models.FileField(
        "错误报告", upload_to="import-reports/visits/%Y/%m/", max_length=300, blank=True
    )
    # The first errors (exchange.errors.error_list: row, column, value, reason), listed on the result page.
    errors = models.JSONField("错误明细", default=list, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "跟踪回访导入"
        verbose_name_plural = "跟踪回访导入"
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
            "导入中断：处理进程已停止（被终止、崩溃或服务重启）。回访在一个事务中保存，未保存任何回访。"
            "点“重新导入”重新处理该文件。"
        )

    @property
    def report_filename(self) -> str:
        """The error report as the user downloads it: named after their file, never the stored name."""
        return f"{Path(self.original_name).stem}-错误报告.xlsx"


# --- the 联系不上 list -----------------------------------------------------------------------------------


class Unreachable(models.Model):
    """A laborer on the 联系不上 list (sent to the rural revitalisation department): flagged by a visit whose
    result was 联系不上, or by hand; cleared by a later visit that reached them, or by hand. Clearing keeps
    the row, so the list's history stays. At most one flag per person is current (not cleared).

    Moved here from `compare` (its rows and URLs kept): one notion, one place."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    flagged_on = models.DateField("标记日期")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="标记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.CharField("情况说明", max_length=200, blank=True)
    visit = models.ForeignKey(
        Visit,
        verbose_name="标记依据的回访",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cleared_at = models.DateTimeField("取消时间", null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取消人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    clear_note = models.CharField("取消说明", max_length=200, blank=True)
    cleared_by_visit = models.ForeignKey(
        Visit, verbose_name="联系上的回访", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "联系不上人员"
        verbose_name_plural = "联系不上人员"
        ordering = ["-flagged_on", "-id"]
        indexes = [models.Index(fields=["area", "cleared_at"], name="tracking_unreachable_area")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(cleared_at__isnull=True),
                name="tracking_unreachable_current",
            )
        ]

    def __str__(self):
        return f"联系不上：{self.person.name}"

    @property
    def active(self) -> bool:
        return self.cleared_at is None


# --- who is responsible ------------------------------------------------------------------------------------


class Responsibility(models.Model):
    """帮扶责任人: the staff user who answers for a person, or for a whole household (then for each member
    without one of their own). A new assignment ends the previous one, so the history stays."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="帮扶责任人", on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField("起始日期")
    until = models.DateField("结束日期", null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指定人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "帮扶责任人"
        verbose_name_plural = "帮扶责任人"
        ordering = ["-since", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, household__isnull=True)
                | models.Q(person__isnull=True, household__isnull=False),
                name="tracking_responsibility_one_subject",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(until__isnull=True), name="tracking_resp_person_current"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(until__isnull=True),
                name="tracking_resp_household_current",
            ),
        ]
        indexes = [models.Index(fields=["area", "until"]), models.Index(fields=["user", "until"])]

    def __str__(self):
        return f"{self.user} 负责 {self.person or self.household}（{self.since}起）"


# --- warnings ---------------------------------------------------------------------------------------------


class WarningKind(models.TextChoices):  # EXCHANGE §7 预警类型
    JOB_LOST = "就业转失业", "就业转失业"
    RETURNED = "返乡", "返乡"
    ZERO_EMPLOYMENT = "零就业家庭", "零就业家庭"
    UNREACHABLE = "联系不上", "联系不上"
    VISIT_OVERDUE = "跟踪逾期", "跟踪逾期"
    LOW_INCOME = "收入低于监测线", "收入低于监测线"
    PENSION_BREAK = "参保中断", "参保中断"  # 社保扶贫 (bangfu/pension): contributions stopped


HOUSEHOLD_KINDS = frozenset({WarningKind.ZERO_EMPLOYMENT, WarningKind.LOW_INCOME})


class WarningStatus(models.TextChoices):
    OPEN = "待处理", "待处理"
    IN_HAND = "处理中", "处理中"
    CLEARED = "已解除", "已解除"  # the condition ended (by the scan)
    CLOSED = "已关闭", "已关闭"  # closed by staff, with a reason


OPEN_STATUSES = (WarningStatus.OPEN, WarningStatus.IN_HAND)


class Warning(models.Model):
    """One early warning about a laborer (person) or a household. `basis` names the episode that raised
    it (the ended record, the visit, the day a household fell to nobody in work …): a warning is raised
    once per (kind, subject, basis) and stays until cleared by the scan or closed by staff, so scanning
    again changes nothing, and a warning staff closed is not raised again for the same episode."""

    kind = models.CharField("预警类型", max_length=10, choices=WarningKind.choices)
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, null=True, blank=True, related_name="warnings"
    )
    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.PROTECT, related_name="warnings"
    )
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    basis = models.CharField("预警依据", max_length=40)
    raised_on = models.DateField("预警日期")
    detail = models.CharField("说明", max_length=300, blank=True)
    status = models.CharField("状态", max_length=4, choices=WarningStatus.choices, default=WarningStatus.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField("处理期限", null=True, blank=True)
    ended_on = models.DateField("解除或关闭日期", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="关闭人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.CharField("解除或关闭原因", max_length=200, blank=True)
    # The day the staff of the level above were told it is past its due day (once; tracking/notify.py).
    escalated_on = models.DateField("逾期上报日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-raised_on", "-id"]
        constraints = [
            # NULL never equals NULL in a unique index: person and household warnings are keyed apart.
            models.UniqueConstraint(
                fields=["kind", "person", "basis"],
                condition=models.Q(person__isnull=False),
                name="tracking_warning_person_key",
            ),
            models.UniqueConstraint(
                fields=["kind", "household", "basis"],
                condition=models.Q(person__isnull=True),
                name="tracking_warning_household_key",
            ),
        ]
        indexes = [
            # The lists: a subtree's open warnings (of a kind), newest first, read off this index alone
            # (the page's 50 ids first, then their rows): 300,000 open in a province stay < 200 ms.
            models.Index(fields=["area", "status", "kind", "raised_on", "id"], name="tracking_warning_list"),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["person", "status"]),
            models.Index(fields=["household", "status"]),
            models.Index(fields=["assignee", "status"]),
        ]

    def __str__(self):
        subject = self.person.name if self.person_id else f"户 {self.household.number}"
        return f"{self.kind}：{subject}（{self.raised_on}）"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class HelpKind(models.TextChoices):
    REFERRAL = "推荐岗位", "推荐岗位"
    GUIDANCE = "职业指导", "职业指导"
    TRAINING = "培训信息", "培训信息"
    POLICY = "政策宣传", "政策宣传"
    OTHER = "其他", "其他"


class WarningHelp(models.Model):
    """What was done about a warning: a referral, guidance or a training notice (linked to the record
    they made), or another kind of help described in words."""

    warning = models.ForeignKey(Warning, verbose_name="预警", on_delete=models.CASCADE, related_name="helps")
    kind = models.CharField("帮扶措施", max_length=6, choices=HelpKind.choices)
    on = models.DateField("日期")
    note = models.CharField("说明", max_length=300, blank=True)
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name="推荐",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    service = models.ForeignKey(
        "referrals.ServiceRecord",
        verbose_name="服务记录",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "预警帮扶措施"
        verbose_name_plural = "预警帮扶措施"
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.kind} {self.on}"


# --- rules (EXCHANGE §9; the 劳动年龄 rule is registry.LaborAgeRule) -----------------------------------


class WarningRule(RegionalRule):
    """就业预警: how long after a job ends a laborer is warned about, and how long staff have to act."""

    leave_window_days = models.PositiveSmallIntegerField("离职预警天数", default=30)
    handle_days = models.PositiveSmallIntegerField("处理期限天数", default=7)

    class Meta(RegionalRule.Meta):
        verbose_name = "就业预警"
        verbose_name_plural = "就业预警"

    def __str__(self):
        return (
            f"{self.region_prefix or '全国'} {self.effective_from}起："
            f"离职 {self.leave_window_days} 天内预警，"
            f"{self.handle_days} 天内处理"
        )


class FollowUpRule(RegionalRule):
    """跟踪回访: the rhythm of follow-up visits, for laborers out of work and in work."""

    unemployed_interval_days = models.PositiveSmallIntegerField("未就业间隔天数", default=30)
    employed_interval_days = models.PositiveSmallIntegerField("就业间隔天数", default=90)

    class Meta(RegionalRule.Meta):
        verbose_name = "跟踪回访"
        verbose_name_plural = "跟踪回访"

    def __str__(self):
        return (
            f"{self.region_prefix or '全国'} {self.effective_from}起："
            f"未就业每 {self.unemployed_interval_days} 天，"
            f"就业每 {self.employed_interval_days} 天"
        )


class IncomeLineRule(RegionalRule):
    """收入监测线: the yearly income per head below which a household is warned about. Regions set it;
    there is no national default, so without a version no household is warned."""

    yearly_income_per_capita = models.PositiveIntegerField("人均纯收入监测线（元/年）")

    class Meta(RegionalRule.Meta):
        verbose_name = "收入监测线"
        verbose_name_plural = "收入监测线"

    def __str__(self):
        region = self.region_prefix or "全国"
        return f"{region} {self.effective_from}起：{self.yearly_income_per_capita} 元/人·年"


# The national 跟踪回访 version as first seeded (migration 0002, and after a test flush: apps.py).
NATIONAL_FOLLOW_UP = {
    "region_prefix": "",
    "effective_from": date(2000, 1, 1),
    "unemployed_interval_days": 30,
    "employed_interval_days": 90,
    "note": "《数据交换说明》§9 全国默认值",
}


def ensure_national_follow_up_rule() -> None:
    if not FollowUpRule.objects.exists():
        FollowUpRule.objects.create(**NATIONAL_FOLLOW_UP)


# The national 就业预警 version as first seeded (migration 0002, and after a test flush: apps.py).
NATIONAL_WARNING = {
    "region_prefix": "",
    "effective_from": date(2000, 1, 1),
    "leave_window_days": 30,
    "handle_days": 7,
    "note": "《数据交换说明》§9 全国默认值",
}


def ensure_national_warning_rule() -> None:
    if not WarningRule.objects.exists():
        WarningRule.objects.create(**NATIONAL_WARNING)


# --- the receiving area's confirmations ------------------------------------------------------------------


class ConfirmationOutcome(models.TextChoices):
    AT_WORK = "在岗", "确认在岗"
    ENDED = "已离职", "确认离职"


class Confirmation(models.Model):
    """输入地确认: staff of the area where a laborer works (the record's work area, outside the person's
    home subtree) confirm the employment or its end. Kept with the person's home village as its area, so
    the home county sees who confirmed what; the confirmer's own area is kept beside it."""

    record = models.ForeignKey(
        "employment.EmploymentRecord",
        verbose_name="就业记录",
        on_delete=models.PROTECT,
        related_name="confirmations",
    )
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="户籍所在村", on_delete=models.PROTECT, related_name="+")
    confirmer_area = models.ForeignKey(
        Area, verbose_name="确认单位所在区域", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("确认日期")
    outcome = models.CharField("确认结果", max_length=4, choices=ConfirmationOutcome.choices)
    ended_on = models.DateField("离职日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "输入地确认"
        verbose_name_plural = "输入地确认"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["person", "on"]), models.Index(fields=["confirmer_area", "on"])]

    def __str__(self):
        return f"{self.person.name} {self.on} {self.get_outcome_display()}"
