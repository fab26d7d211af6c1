"""The registry (一库): households, their members, laborer profiles, field history and import batches."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.background import STOPPED_LABEL, Runner
from bangfu.core.idnumber import mask_id, mask_phone
from bangfu.core.rules import RegionalRule
from bangfu.registry import vocab
from bangfu.registry.names import full_pinyin, initials
from bangfu.registry.vocab import choices


class Household(models.Model):
    number = models.CharField("户编号", max_length=40)
    area = models.ForeignKey(
        Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="households", db_index=False
    )  # indexed by (area, number)
    household_type = models.CharField(
        "户类型", max_length=10, choices=choices(vocab.HOUSEHOLD_TYPES), blank=True
    )
    monitoring_type = models.CharField(
        "监测对象类型", max_length=10, choices=choices(vocab.MONITORING_TYPES), blank=True
    )
    risk_identified_on = models.DateField("风险识别日期", null=True, blank=True)
    risk_eliminated_on = models.DateField("风险消除日期", null=True, blank=True)
    poverty_exit_year = models.PositiveSmallIntegerField("脱贫年度", null=True, blank=True)
    income_per_capita = models.DecimalField(
        "人均纯收入", max_digits=12, decimal_places=2, null=True, blank=True
    )
    is_dibao = models.BooleanField("是否低保", null=True, blank=True)
    is_tekun = models.BooleanField("是否特困", null=True, blank=True)
    is_relocated = models.BooleanField("是否易地搬迁", null=True, blank=True)
    poverty_causes = models.CharField("致贫原因", max_length=100, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        # Uniqueness and indexes declared here rather than on the fields: on PostgreSQL a field-level
        # unique/db_index also builds a LIKE-pattern index, which no query uses (searches are ranges)
        # and every insert pays for.
        constraints = [models.UniqueConstraint(fields=["number"], name="registry_household_number_unique")]
        indexes = [models.Index(fields=["area", "number"])]

    def __str__(self):
        return f"户 {self.number}"

    @property
    def head(self):
        return next((m for m in self.members.all() if m.relation == "户主"), None)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


# The national band as first seeded (migration 0004 and after a test flush, `apps.RegistryConfig`); later
# bands are new rows added on the rules page.
NATIONAL_LABOR_AGE = {
    "region_prefix": "",
    "effective_from": date(1995, 1, 1),
    "min_age": 16,
    "max_age": 64,
    "note": "劳动年龄段：年满16周岁（《劳动法》第十五条）至64周岁。",
}


class LaborAgeRule(RegionalRule):
    """劳动年龄段: the ages, in whole years on the day asked, at which a member counts as a laborer."""

    min_age = models.PositiveSmallIntegerField("最低年龄（周岁）", default=16)
    max_age = models.PositiveSmallIntegerField("最高年龄（周岁）", default=64)

    class Meta(RegionalRule.Meta):
        verbose_name = "劳动年龄段"
        verbose_name_plural = "劳动年龄段"
        constraints = [
            *RegionalRule.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(min_age__lte=models.F("max_age")),
                name="registry_labor_age_order",
                violation_error_message="最高年龄不能低于最低年龄。",
            ),
        ]

    def __str__(self):
        return f"{self.region_prefix or '全国'} {self.effective_from}起：{self.min_age}–{self.max_age} 周岁"

    def born_within(self, on: date) -> models.Q:
        """Born so as to be `min_age` to `max_age` years old on `on`."""
        return models.Q(
            birth_date__lte=years_before(on, self.min_age), birth_date__gt=years_before(on, self.max_age + 1)
        )


def ensure_national_labor_age() -> None:
    if not LaborAgeRule.objects.exists():
        LaborAgeRule.objects.create(**NATIONAL_LABOR_AGE)


def working_age(on: date) -> models.Q:
    """Of working age on `on` by the 劳动年龄段 rule in force for each person's village: one condition, the
    rules read once. Part of the laborer definition (`PersonQuerySet.laborers`, and the figures of a past
    day in stats/figures.py, which read labor ability and death as they were that day)."""
    return LaborAgeRule.objects.book(on).partition("area", lambda rule: rule.born_within(on))


class PersonQuerySet(AreaScopedQuerySet):
    def window_lookup(self, id_number: str):
        """The one read that ignores area scope: 窗口实名核验 asks whether an ID number is registered
        anywhere. Callers show outsiders only the home county and the status (registry/actions.py)."""
        return self.select_related("household", "area").filter(id_number=id_number).first()

    def laborers(self, on: date | None = None):
        """Members of working age (劳动年龄段, a `LaborAgeRule` by region and date) with labor ability and
        alive (劳动力). The rules are read once per call and become one condition on the query."""
        on = on or timezone.localdate()
        return self.filter(labor_skill__in=vocab.LABOR_ABLE, is_deceased=False).filter(working_age(on))


SEARCH_KEY_FIELDS = ("name_initials", "name_pinyin", "phone_reversed")


def phone_key(phone: str) -> str:
    """A phone's digits backwards: 139-1234-5678 → 87654321931."""
    return "".join(ch for ch in phone or "" if ch.isdigit())[::-1]


def search_keys(name: str, phone: str) -> tuple[str, str, str]:
    """(initials, whole pinyin, phone backwards): what the search reads instead of name and phone."""
    return initials(name)[:30], full_pinyin(name)[:150], phone_key(phone)[:20]


class Person(models.Model):
    id_number = models.CharField("证件号码", max_length=18)
    # The ID written backwards: "the last four digits" becomes a prefix search on a plain index.
    id_reversed = models.CharField("证件号码倒序", max_length=18, editable=False)
    name = models.CharField("姓名", max_length=50)
    name_initials = models.CharField("姓名拼音首字母", max_length=30, editable=False)
    # The whole pinyin ("ran" finds 冉), and the phone's digits backwards ("the last four digits of the
    # phone" is a prefix search, as for the ID): search keys derived from name and phone (search_keys).
    name_pinyin = models.CharField("姓名全拼", max_length=150, editable=False, default="")
    phone_reversed = models.CharField("联系电话倒序", max_length=20, editable=False, default="")
    sex = models.CharField("性别", max_length=1, choices=choices(vocab.SEXES))
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=10, choices=choices(vocab.ETHNICITIES), blank=True)
    household = models.ForeignKey(
        Household, verbose_name="户", on_delete=models.PROTECT, related_name="members"
    )
    relation = models.CharField("与户主关系", max_length=10, choices=choices(vocab.RELATIONS))
    # The household's village, kept on the person so that area-scoped lists need no join. Always the
    # household's area (actions keep them together), so the database checks the household's foreign key
    # and not this copy's: a million-row import saves a million area checks.
    area = models.ForeignKey(
        Area,
        verbose_name="所在村",
        on_delete=models.PROTECT,
        related_name="people",
        db_index=False,
        db_constraint=False,
    )  # indexed by (area, name), which also serves area-only range scans
    education = models.CharField("文化程度", max_length=10, choices=choices(vocab.EDUCATIONS), blank=True)
    student_status = models.CharField(
        "在校生状况", max_length=10, choices=choices(vocab.STUDENT_STATUSES), blank=True
    )
    health = models.CharField("健康状况", max_length=10, choices=choices(vocab.HEALTH), blank=True)
    labor_skill = models.CharField("劳动技能", max_length=10, choices=choices(vocab.LABOR_SKILLS), blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    employment_status = models.CharField(
        "务工状态", max_length=10, choices=choices(vocab.EMPLOYMENT_STATUSES), blank=True
    )
    work_months = models.PositiveSmallIntegerField("务工时间(月)", null=True, blank=True)
    job_wish = models.CharField("就业意向", max_length=100, blank=True)
    # 就业意愿 (EXCHANGE §1): whether the laborer wants work; None = not asked yet. Changes keep their
    # history (`Change`), which the figures of a past day read (stats/figures.py).
    wants_work = models.BooleanField("就业意愿", null=True, blank=True)
    desired_region = models.CharField(
        "意向务工地", max_length=4, choices=choices(vocab.DESIRED_REGIONS), blank=True
    )
    expected_wage = models.PositiveIntegerField("期望月薪", null=True, blank=True)
    training_wish = models.CharField("培训意愿", max_length=200, blank=True)
    entrepreneurship_wish = models.CharField("创业意愿", max_length=200, blank=True)
    skills = models.CharField("技能特长", max_length=200, blank=True)
    is_deceased = models.BooleanField("已故", default=False)
    # Kept true by data comparison (bangfu/compare): deaths, disability, pension and medical enrolment.
    died_on = models.DateField("死亡日期", null=True, blank=True)
    disability_category = models.CharField("残疾类别", max_length=10, blank=True, db_default="")
    disability_grade = models.CharField("残疾等级", max_length=10, blank=True, db_default="")
    pension_insurance = models.CharField("养老保险险种", max_length=20, blank=True, db_default="")
    pension_status = models.CharField("养老保险参保状态", max_length=10, blank=True, db_default="")
    medical_insured_year = models.PositiveSmallIntegerField("医保参保年度", null=True, blank=True)
    medical_status = models.CharField("医保参保状态", max_length=10, blank=True, db_default="")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        # See Household.Meta on why uniqueness and indexes are declared here.
        constraints = [models.UniqueConstraint(fields=["id_number"], name="registry_person_id_number_unique")]
        indexes = [
            models.Index(fields=["area", "name"]),
            models.Index(fields=["name"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["id_reversed"], name="registry_person_id_reversed"),
            models.Index(fields=["name_initials"], name="registry_person_initials"),
            models.Index(fields=["name_pinyin"], name="registry_person_pinyin"),
            models.Index(fields=["phone_reversed"], name="registry_person_phone_rev"),
        ]

    def __str__(self):
        return f"{self.name}（{self.masked_id}）"

    def save(self, *args, **kwargs):
        self.id_reversed = self.id_number[::-1]
        fields = kwargs.get("update_fields")
        if fields is None or {"name", "phone"} & set(fields):
            self.name_initials, self.name_pinyin, self.phone_reversed = search_keys(self.name, self.phone)
            if fields is not None:
                kwargs["update_fields"] = {*fields, *SEARCH_KEY_FIELDS}
        super().save(*args, **kwargs)

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def age_on(self, day: date) -> int:
        return (
            day.year
            - self.birth_date.year
            - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        )

    @property
    def age(self) -> int:
        return self.age_on(date.today())

    @property
    def is_laborer(self) -> bool:
        return self.is_laborer_on(timezone.localdate())

    def is_laborer_on(self, day: date, rule: "LaborAgeRule | None" = None) -> bool:
        """As `laborers()` for this one person; `rule` saves the lookup when the caller has it."""
        if self.labor_skill not in vocab.LABOR_ABLE or self.is_deceased:
            return False
        rule = rule or LaborAgeRule.objects.in_force(self.area_id, day)
        return rule is not None and rule.min_age <= self.age_on(day) <= rule.max_age


class ImportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    STOPPED = "stopped", STOPPED_LABEL  # its process is gone (core.background): resumable


class ImportBatch(Runner):
    """One file imported by one user into their area: kept with its counts and its error report."""

    kind = models.CharField("类型", max_length=20, default="registry")
    area = models.ForeignKey(Area, verbose_name="导入区域", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    file = models.FileField("文件", upload_to="imports/%Y/%m/", max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    dry_run = models.BooleanField("仅校验", default=False)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    phase = models.CharField("阶段", max_length=40, blank=True)
    total_rows = models.PositiveIntegerField("数据行", default=0)
    processed_rows = models.PositiveIntegerField("已处理", default=0)
    # Households whose first row is at or above this row number are saved: written in the same
    # transaction as each chunk, so that an interrupted import resumes exactly where it stopped.
    resume_after_row = models.PositiveIntegerField("已保存至行", default=0)
    valid_rows = models.PositiveIntegerField("有效行", default=0)
    error_rows = models.PositiveIntegerField("错误行", default=0)
    created = models.PositiveIntegerField("新增人员", default=0)
    updated = models.PositiveIntegerField("更新人员", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    households_created = models.PositiveIntegerField("新增户", default=0)
    households_updated = models.PositiveIntegerField("更新户", default=0)
    message = models.TextField("说明", blank=True)
    report = models.FileField("错误报告", upload_to="import-reports/%Y/%m/", max_length=300, blank=True)
    # The first errors (exchange.errors.error_list: row, column, value, reason), listed on the result page.
    errors = models.JSONField("错误明细", default=list, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"导入 {self.original_name}"

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        expected = self.valid_rows or self.total_rows  # valid rows are known once checking is done
        return min(100, int(100 * self.processed_rows / expected)) if expected else 0

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.STOPPED)

    @property
    def resumable(self) -> bool:
        """Interrupted, or failed part-way through saving: submitting it again saves the rest."""
        return self.status == ImportStatus.STOPPED or (
            self.status == ImportStatus.FAILED and self.saved_rows > 0
        )

    @property
    def saved_rows(self) -> int:
        """Rows saved for good by an unfinished import (a dry run saves none)."""
        return 0 if self.dry_run or not self.resume_after_row else self.processed_rows

    def stopped_message(self) -> str:
        """What an import whose process is gone has left behind, and what submitting it again does."""
        head = "导入中断：处理进程已停止（被终止、崩溃或服务重启）。"
        if self.saved_rows:
            return (
                f"{head}已保存 {self.saved_rows} 行（共 {self.valid_rows} 行有效），其余尚未保存。"
                "点“继续导入”从中断处接着保存，已保存的行不会重复。"
            )
        return head + "未保存任何数据。点“继续导入”重新处理该文件。"

    @property
    def report_filename(self) -> str:
        """The error report as the user downloads it: named after their file, never the stored name."""
        return f"{Path(self.original_name).stem}-错误报告.xlsx"


class Change(models.Model):
    """Field history of people and households: who changed what, when, from what to what, by which route."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    # An import or a status refresh writes a change per field per person (1.6 million for a million-row
    # employment file): the actor and the person have no database constraint, so PostgreSQL does not check
    # each row's keys one query at a time at commit. Django still enforces on_delete (people are never
    # deleted in the platform; users are deactivated).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    source = models.CharField("来源", max_length=10)  # 手工, 导入, 接口, 比对
    batch = models.ForeignKey(ImportBatch, verbose_name="导入批次", on_delete=models.PROTECT, null=True)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, related_name="changes", db_constraint=False
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, null=True, related_name="changes")
    field = models.CharField("字段", max_length=40)
    before = models.TextField("修改前", blank=True)
    after = models.TextField("修改后", blank=True)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.field}: {self.before} → {self.after}"


class WindowCheck(models.Model):
    """窗口实名核验: a service window anywhere asked whether an ID number is in the registry."""

    at = models.DateTimeField("时间", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核验人", on_delete=models.PROTECT)
    area = models.ForeignKey(
        Area, verbose_name="核验窗口所在区域", on_delete=models.PROTECT, related_name="+"
    )
    masked_id = models.CharField("证件号码（脱敏）", max_length=18)
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.SET_NULL, null=True, blank=True)
    found = models.BooleanField("已登记")
    result = models.CharField("核验结果", max_length=200)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "窗口实名核验"
        verbose_name_plural = "窗口实名核验"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.masked_id} {self.result}"
