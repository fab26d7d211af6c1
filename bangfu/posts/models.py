"""Public-welfare posts (公益性岗位): a post of a village or township (`Post`), its holders' spells (`Spell`,
each one an employment record of channel 公益性岗位), the monthly duty of a holder (`Duty`, 在岗天数 of
应出勤天数), the files of posts and duty imported (`PostImport`), and the two rules of the program:
公益性岗位补贴 (`SubsidyRule`: the monthly subsidy and the days on duty for it) and 公益性岗位配置
(`QuotaRule`: how many posts a poor village should have)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.batches import FileImport
from bangfu.core.rules import RegionalRule
from bangfu.employment.models import EmploymentRecord
from bangfu.registry.models import Person


class PostType(models.TextChoices):  # EXCHANGE §10 岗位类型
    RURAL = "乡村公益性岗位", "乡村公益性岗位"
    ASSISTANCE = "就业帮扶公益性岗位", "就业帮扶公益性岗位"
    OTHER = "其他", "其他"


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a month written YYYY-MM (ValueError when it is not one)."""
    year, number = month.split("-")
    if len(year) != 4 or len(number) != 2:
        raise ValueError(month)
    first = dt.date(int(year), int(number), 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def held_in(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    """Spells held on some day from `first` to `last` (one day: first == last)."""
    return Q(**{f"{prefix}started_on__lte": last}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": first})
    )


def open_on(day: dt.date) -> Q:
    """Posts open on `day`: opened on or before it, not closed before it."""
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gte=day))


class Post(models.Model):
    """One public-welfare post of a village or township, numbered uniquely in its county (§10 岗位编号)."""

    area = models.ForeignKey(Area, verbose_name="所在村（乡镇）", on_delete=models.PROTECT, related_name="+")
    county_code = models.CharField("所属县代码", max_length=6, editable=False)
    number = models.CharField("岗位编号", max_length=40)
    kind = models.CharField("岗位类型", max_length=12, choices=PostType.choices)
    title = models.CharField("岗位名称", max_length=100)
    duties = models.CharField("岗位职责", max_length=500, blank=True)
    host_unit = models.CharField("用工（管理）单位", max_length=100, blank=True)
    opened_on = models.DateField("设岗日期")
    closed_on = models.DateField("撤岗日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "公益性岗位"
        verbose_name_plural = "公益性岗位"
        ordering = ["area_id", "number"]
        constraints = [models.UniqueConstraint(fields=["county_code", "number"], name="posts_post_number")]
        indexes = [models.Index(fields=["area", "opened_on"], name="posts_post_area_opened")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.county_code = str(self.area_id)[:6]
        super().save(*args, **kwargs)

    def is_open_on(self, day: dt.date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or self.closed_on >= day)


class Spell(models.Model):
    """A holder's spell on a post (上岗 to 离岗, the last day held). Its employment record (channel
    公益性岗位) is made and ended with it through employment's actions, so 务工状态 stays true."""

    post = models.ForeignKey(Post, verbose_name="岗位", on_delete=models.PROTECT, related_name="spells")
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    # The post's area, so that scoped lists need no join.
    area = models.ForeignKey(Area, verbose_name="所在村（乡镇）", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField("上岗日期")
    ended_on = models.DateField("离岗日期", null=True, blank=True)
    record = models.OneToOneField(
        EmploymentRecord,
        verbose_name="就业记录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="welfare_spell",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "在岗记录"
        verbose_name_plural = "在岗记录"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "person", "started_on"], name="posts_spell_unique")
        ]
        indexes = [
            models.Index(fields=["area", "started_on"], name="posts_spell_area_started"),
            models.Index(fields=["person", "started_on"], name="posts_spell_person_started"),
        ]

    def __str__(self):
        return f"{self.person.name} @ {self.post.number} {self.started_on}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Duty(models.Model):
    """A holder's duty in one month (§10 duty file): 在岗天数 of 应出勤天数, one row per person and month.
    `area` is the area of the post held that month (the sheet it is filled on)."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="所在村（乡镇）", on_delete=models.PROTECT, related_name="+")
    month = models.CharField("年月", max_length=7)
    days_on_duty = models.PositiveSmallIntegerField("在岗天数")
    days_due = models.PositiveSmallIntegerField("应出勤天数")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("填报时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "出勤"
        verbose_name_plural = "出勤"
        ordering = ["-month", "area_id", "person_id"]
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="posts_duty_person_month")]
        indexes = [models.Index(fields=["area", "month"], name="posts_duty_area_month")]

    def __str__(self):
        return f"{self.month} {self.days_on_duty}/{self.days_due}"


class ImportKind(models.TextChoices):
    POSTS = "posts", "岗位和在岗人员"
    DUTY = "duty", "出勤"


class PostImport(FileImport):
    """One posts file or duty file (EXCHANGE §10) imported into an area, kept with its counts and report."""

    kind = models.CharField("文件类型", max_length=10, choices=ImportKind.choices)
    file = models.FileField("文件", upload_to="imports/posts/%Y/%m/", max_length=300)
    report = models.FileField("错误报告", upload_to="import-reports/posts/%Y/%m/", max_length=300, blank=True)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)

    class Meta:
        verbose_name = "公益性岗位导入"
        verbose_name_plural = "公益性岗位导入"
        indexes = [models.Index(fields=["area", "created_at"], name="posts_import_area_at")]

    @property
    def what(self) -> str:
        return "公益性岗位" if self.kind == ImportKind.POSTS else "出勤"

    @property
    def tiles(self) -> list[tuple[str, int]]:
        names = ("total_rows", "valid_rows", "error_rows", "created", "updated", "unchanged")
        return [(str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in names]


class SubsidyRule(RegionalRule):
    """公益性岗位补贴 (EXCHANGE §9): the monthly subsidy of a post and the days on duty in the month it takes.
    Pay is all or nothing: a holder on duty at least 最低在岗天数 days gets the whole 月补贴标准, one on duty
    fewer days gets nothing that month (不符合条件). No national default: without a version, no payroll."""

    monthly_amount = models.DecimalField(
        "月补贴标准（元）", max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    min_days = models.PositiveSmallIntegerField("最低在岗天数")

    class Meta(RegionalRule.Meta):
        verbose_name = "公益性岗位补贴"
        verbose_name_plural = "公益性岗位补贴"

    def __str__(self):
        region = self.region_prefix or "全国"
        return f"{region} {self.effective_from}起：{self.monthly_amount} 元/月，在岗不少于 {self.min_days} 天"


class QuotaRule(RegionalRule):
    """公益性岗位配置: how many posts each poor village (贫困村 or 脱贫村) should have, from a minimum to a
    maximum (2–3 in Ankang), and from which age a laborer is an older one for the candidates of a vacancy.
    No national default: without a version, no village is judged against it and age suggests nobody."""

    min_posts = models.PositiveSmallIntegerField("每村岗位数下限")
    max_posts = models.PositiveSmallIntegerField("每村岗位数上限")
    # Who counts as an older laborer among the candidates of a vacancy (posts/eligibility.py).
    older_age = models.PositiveSmallIntegerField("大龄劳动力起始年龄", default=50)

    class Meta(RegionalRule.Meta):
        verbose_name = "公益性岗位配置"
        verbose_name_plural = "公益性岗位配置"

    def __str__(self):
        region = self.region_prefix or "全国"
        return f"{region} {self.effective_from}起：每个贫困村 {self.min_posts}–{self.max_posts} 个岗位"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.min_posts is not None and self.max_posts is not None and self.min_posts > self.max_posts:
            raise ValidationError("每村岗位数下限不能大于上限。")
