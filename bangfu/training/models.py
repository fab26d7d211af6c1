"""Skills training (职业技能培训): training needs (`Need`, 培训需求, from surveys, visits and the registry's
培训意愿), providers (`Provider`, 培训机构), courses (`Course`, 培训班), enrolments with attendance,
completion and certificate (`Enrolment`), the providers' rosters imported (`RosterImport`), the 两后生
follow-up (`YouthFollowUp`), and the rules of the program: 培训后就业 (`OutcomeRule`: within how many
months of completion a job counts), 职业培训补贴 (`SubsidyRule`) and 两后生 (`YouthRule`: the ages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.batches import FileImport
from bangfu.core.rules import RegionalRule
from bangfu.jobs.models import Occupation
from bangfu.registry.models import Person


class TrainingKind(models.TextChoices):  # 培训类型 (EXCHANGE §13)
    EMPLOYMENT = "就业技能培训", "就业技能培训"
    ON_THE_JOB = "岗位技能培训", "岗位技能培训"
    ENTREPRENEURSHIP = "创业培训", "创业培训"
    ORDER = "订单式培训", "订单式培训"
    PROJECT = "项目制培训", "项目制培训"
    APPRENTICE = "师傅带徒", "师傅带徒"
    OTHER = "其他", "其他"


class NeedSource(models.TextChoices):
    SURVEY = "调查", "调查"
    VISIT = "回访", "回访"
    REGISTRY = "一库培训意愿", "一库培训意愿"
    DESK = "登记", "登记"


class Need(models.Model):
    """One training need of a person: what occupation (职业分类大典) and kind of training, recorded on a
    day from a survey, a visit or the registry's 培训意愿. In force from `recorded_on` until `dropped_on`
    (不再需要); being trained does not end it: 应训尽训 asks whether the person was trained this year."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey(
        Occupation,
        verbose_name="职业（工种）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField("培训类型", max_length=10, choices=TrainingKind.choices)
    source = models.CharField("来源", max_length=10, choices=NeedSource.choices)
    text = models.CharField("原始表述", max_length=200, blank=True)
    recorded_on = models.DateField("登记日期")
    dropped_on = models.DateField("不再需要日期", null=True, blank=True)
    visit = models.ForeignKey(
        "tracking.Visit",
        verbose_name="回访",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训需求"
        verbose_name_plural = "培训需求"
        ordering = ["-recorded_on", "-id"]
        indexes = [
            models.Index(fields=["area", "recorded_on"], name="training_need_area_day"),
            models.Index(fields=["person", "recorded_on"], name="training_need_person_day"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.kind} {self.occupation_id or ''}"


def need_in_force(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}recorded_on__lte": on}) & (
        Q(**{f"{prefix}dropped_on__isnull": True}) | Q(**{f"{prefix}dropped_on__gt": on})
    )


class ProviderKind(models.TextChoices):
    SCHOOL = "技工院校", "技工院校"
    INSTITUTION = "职业培训机构", "职业培训机构"
    BASE = "培训基地", "培训基地"
    ENTERPRISE = "企业", "企业"
    OTHER = "其他", "其他"


class Provider(models.Model):
    """A training provider (培训机构) registered by a county or above."""

    area = models.ForeignKey(Area, verbose_name="所在地区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("机构名称", max_length=100)
    kind = models.CharField("机构类型", max_length=10, choices=ProviderKind.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训机构"
        verbose_name_plural = "培训机构"
        ordering = ["area_id", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="training_provider_area_name")]

    def __str__(self):
        return self.name


class Course(models.Model):
    """A course (培训班): a provider's class of one kind and occupation, at a place, from a day to a day,
    for at most `capacity` trainees and `days` days of attendance. Numbered uniquely in its county."""

    provider = models.ForeignKey(
        Provider, verbose_name="培训机构", on_delete=models.PROTECT, related_name="courses"
    )
    area = models.ForeignKey(Area, verbose_name="组织地区", on_delete=models.PROTECT, related_name="+")
    county_code = models.CharField("所属县代码", max_length=6, editable=False)
    number = models.CharField("班级编号", max_length=40)
    title = models.CharField("班级名称", max_length=100)
    kind = models.CharField("培训类型", max_length=10, choices=TrainingKind.choices)
    occupation = models.ForeignKey(
        Occupation,
        verbose_name="职业（工种）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.CharField("培训地点", max_length=100, blank=True)
    starts_on = models.DateField("开班日期")
    ends_on = models.DateField("结业日期")
    capacity = models.PositiveIntegerField("计划人数", validators=[MinValueValidator(1)])
    days = models.PositiveSmallIntegerField("培训天数", validators=[MinValueValidator(1)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训班"
        verbose_name_plural = "培训班"
        ordering = ["-starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["county_code", "number"], name="training_course_number")
        ]
        indexes = [models.Index(fields=["area", "starts_on"], name="training_course_area_day")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.county_code = str(self.area_id)[:6]
        super().save(*args, **kwargs)


class EnrolmentSource(models.TextChoices):
    NEEDS = "需求名单", "需求名单"
    MATCH = "匹配", "匹配"
    ROSTER = "机构名册", "机构名册"
    DESK = "登记", "登记"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "在训", "在训"
    COMPLETED = "结业", "结业"
    DROPPED = "退学", "退学"


class CertificateKind(models.TextChoices):
    QUALIFICATION = "职业资格证书", "职业资格证书"
    SKILL_LEVEL = "职业技能等级证书", "职业技能等级证书"
    SPECIAL = "专项职业能力证书", "专项职业能力证书"
    TRAINING = "培训合格证书", "培训合格证书"


class Enrolment(models.Model):
    """A person on a course: enrolled, days attended, completed (结业, the day) or dropped, and the
    certificate got. `area` is the person's village (the registry's), so scoped lists need no join."""

    course = models.ForeignKey(
        Course, verbose_name="培训班", on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    need = models.ForeignKey(
        Need,
        verbose_name="培训需求",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    source = models.CharField("报名来源", max_length=6, choices=EnrolmentSource.choices)
    enrolled_on = models.DateField("报名日期")
    status = models.CharField(
        "状态", max_length=4, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    days_attended = models.PositiveSmallIntegerField("出勤天数", default=0)
    completed_on = models.DateField("结业日期", null=True, blank=True)
    certificate_kind = models.CharField(
        "证书类型", max_length=10, choices=CertificateKind.choices, blank=True
    )
    certificate_number = models.CharField("证书编号", max_length=40, blank=True)
    certificate_on = models.DateField("发证日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训学员"
        verbose_name_plural = "培训学员"
        ordering = ["course_id", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="training_enrolment_unique")]
        indexes = [
            models.Index(fields=["area", "completed_on"], name="training_enrol_area_done"),
            models.Index(fields=["person", "completed_on"], name="training_enrol_person_done"),
            models.Index(fields=["completed_on"], name="training_enrol_done"),
        ]

    def __str__(self):
        return f"{self.person_id} @ {self.course_id}"

    def attendance_rate(self, days: int) -> Decimal | None:
        if not days:
            return None
        return (Decimal(self.days_attended) * 100 / Decimal(days)).quantize(Decimal("0.1"))


def completed_between(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    """Enrolments completed (结业) on a day from `first` to `last`."""
    return Q(**{f"{prefix}status": EnrolmentStatus.COMPLETED}) & Q(
        **{f"{prefix}completed_on__gte": first, f"{prefix}completed_on__lte": last}
    )


class RosterImport(FileImport):
    """One provider's enrolment roster (EXCHANGE §13) imported into an area, with its counts and report."""

    file = models.FileField("文件", upload_to="imports/training/%Y/%m/", max_length=300)
    report = models.FileField(
        "错误报告", upload_to="import-reports/training/%Y/%m/", max_length=300, blank=True
    )
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    what = "培训名册"

    class Meta:
        verbose_name = "培训名册导入"
        verbose_name_plural = "培训名册导入"
        indexes = [models.Index(fields=["area", "created_at"], name="training_import_area_at")]

    @property
    def tiles(self) -> list[tuple[str, int]]:
        names = ("total_rows", "valid_rows", "error_rows", "created", "updated", "unchanged")
        return [(str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in names]


class YouthStatus(models.TextChoices):
    NEW = "待联系", "待联系"
    CONTACTED = "已联系", "已联系"
    ENROLLED = "已入读技工院校", "已入读技工院校"
    WORKING = "已就业", "已就业"
    DECLINED = "不愿就读", "不愿就读"


class YouthFollowUp(models.Model):
    """One contact with a 两后生 (a young person who left school after 初中 or 高中): how it went and, when
    they enrolled, which technical school. The list itself is read from the registry (training/youth.py)."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    contacted_on = models.DateField("联系日期")
    status = models.CharField("结果", max_length=8, choices=YouthStatus.choices)
    school = models.CharField("就读院校", max_length=100, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="联系人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "两后生跟踪"
        verbose_name_plural = "两后生跟踪"
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["person", "contacted_on"], name="training_youth_person_day")]

    def __str__(self):
        return f"{self.person_id} {self.contacted_on} {self.status}"


class OutcomeRule(RegionalRule):
    """培训后就业: a trainee counts as employed after training when an employment record of theirs is in
    force on some day from the completion to `months` calendar months after it. No national default:
    without a version nobody counts as employed after training."""

    months = models.PositiveSmallIntegerField("培训后就业认定月数", validators=[MinValueValidator(1)])

    class Meta(RegionalRule.Meta):
        verbose_name = "培训后就业认定"
        verbose_name_plural = "培训后就业认定"

    def __str__(self):
        return f"{self.region_prefix or '全国'} {self.effective_from}起：结业后 {self.months} 个月内就业"


class SubsidyRule(RegionalRule):
    """职业培训补贴: the amount for each trainee completing a course in the year, paid when they attended at
    least `min_attendance` percent of its days (and, with `certificate_required`, got a certificate).
    No national default: without a version, no list."""

    amount = models.DecimalField(
        "每人补贴标准（元）", max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    min_attendance = models.PositiveSmallIntegerField(
        "最低出勤率（%）", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    certificate_required = models.BooleanField("须取得证书", default=True)

    class Meta(RegionalRule.Meta):
        verbose_name = "职业培训补贴"
        verbose_name_plural = "职业培训补贴"

    def __str__(self):
        region = self.region_prefix or "全国"
        return f"{region} {self.effective_from}起：{self.amount} 元/人，出勤不低于 {self.min_attendance}%"


class YouthRule(RegionalRule):
    """两后生: the ages (on the day asked) of the young people who left school after 初中 or 高中 that the
    two-after list holds. No national default: without a version, no list."""

    min_age = models.PositiveSmallIntegerField("起始年龄")
    max_age = models.PositiveSmallIntegerField("截止年龄")

    class Meta(RegionalRule.Meta):
        verbose_name = "两后生年龄"
        verbose_name_plural = "两后生年龄"

    def __str__(self):
        return f"{self.region_prefix or '全国'} {self.effective_from}起：{self.min_age}–{self.max_age} 岁"
