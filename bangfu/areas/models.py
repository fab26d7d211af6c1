"""Administrative areas (统计用区划代码): nation → province → city → county → township → village."""

from django.db import models

from bangfu.areas.kinds import (  # noqa: F401 (the designation kinds are read from here too)
    DESIGNATION_LEVELS,
    EXCLUSIVE,
    SUCCEEDS,
    DesignationKind,
    exclusive_with,
)
from bangfu.areas.scope import LEVEL_DIGITS, AreaScopedQuerySet, code_range
from bangfu.core.batches import FileImport

NATION_CODE = "000000000000"


class Level(models.IntegerChoices):
    NATION = 0, "全国"
    PROVINCE = 1, "省级"
    CITY = 2, "市级"
    COUNTY = 3, "县级"
    TOWNSHIP = 4, "乡级"
    VILLAGE = 5, "村级"


def normalize_code(raw: str) -> str:
    """A natural-length (2/4/6/9/12 digits) or padded code as the 12-digit code; ValueError in Chinese."""
    code = (raw or "").strip()
    if not code.isascii() or not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise ValueError(f"区划代码“{raw}”格式不正确：应为 2、4、6、9 或 12 位数字。")
    return code.ljust(12, "0")


class AreaQuerySet(AreaScopedQuerySet):
    def current(self):
        return self.filter(is_current=True)

    def resolve(self, raw: str) -> "Area | None":
        """The current area for a code as found in real data, following recorded code changes."""
        code = normalize_code(raw)
        area = self.filter(code=code).first()
        if area is not None and area.is_current:
            return area
        change = AreaCodeChange.objects.select_related("new_area").filter(old_code=code).first()
        if change is not None:
            return self.filter(code=change.new_area_id).first()
        return area

    def in_scope(self, user, raw: str) -> "Area | None":
        """The area a user typed into a filter, if it exists inside their subtree; None otherwise."""
        try:
            code = normalize_code(raw)
        except ValueError:
            return None
        return self.for_user(user).filter(code=code).first()

    def search(self, text: str):
        text = text.strip()
        if text.isdigit():
            return self.filter(code__startswith=text)
        return self.filter(name__contains=text)


class Area(models.Model):
    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    full_name = models.CharField("全称", max_length=300, blank=True)
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区域",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_current = models.BooleanField("现行代码", default=True)

    scope_field = "code"
    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def short_code(self) -> str:
        """The code at its natural length, e.g. 433124 for a county."""
        return self.code[: LEVEL_DIGITS[self.level]] or self.code

    @property
    def code_range(self) -> tuple[str, str]:
        return code_range(self.code, self.level)

    def contains(self, other: "Area | str") -> bool:
        code = other if isinstance(other, str) else other.code
        low, high = self.code_range
        return low <= code <= high

    def ancestor_codes(self) -> list[str]:
        """Codes of the ancestors, top first (nation excluded), derived from the code itself."""
        codes = []
        for level in range(1, self.level):
            candidate = self.code[: LEVEL_DIGITS[level]].ljust(12, "0")
            if candidate != self.code and candidate not in codes:
                codes.append(candidate)
        return codes

    def ancestors(self) -> list["Area"]:
        found = Area.objects.in_bulk(self.ancestor_codes())
        return [found[code] for code in self.ancestor_codes() if code in found]


class AreaCodeChange(models.Model):
    """An old code still found in real data, and the current code it maps to."""

    old_code = models.CharField("原代码", max_length=12, primary_key=True)
    new_area = models.ForeignKey(
        Area, verbose_name="现行区域", on_delete=models.CASCADE, related_name="old_codes"
    )
    last_year = models.PositiveSmallIntegerField("原代码最后使用年份")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "区划代码变更"
        verbose_name_plural = "区划代码变更"
        ordering = ["old_code"]

    def __str__(self):
        return f"{self.old_code} → {self.new_area_id}"


# --- designations (认定): 贫困村, 脱贫村, 重点帮扶县 … as dated lists per area ----------------------------


class DesignationSource(models.TextChoices):
    PAGE = "page", "页面登记"
    IMPORT = "import", "文件导入"
    DEMO = "demo", "演示数据"


class DesignationQuerySet(AreaScopedQuerySet):
    def valid(self):
        """Listings not voided (a voided one was entered by mistake: kept for the history, never in force)."""
        return self.filter(voided_at__isnull=True)

    def on(self, day):
        """Listings in force on `day`: started on or before it, not ended by it (`ends_on` is the first day
        the area no longer carries the designation)."""
        return self.valid().filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=day), starts_on__lte=day
        )


class Designation(models.Model):
    """An area listed in a category from a day, until a day or open-ended. Never overwritten silently:
    every change goes through areas/actions.py, audited with what it was before; a listing entered by
    mistake is voided (kept, out of force), never deleted."""

    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.PROTECT, related_name="designations")
    kind = models.CharField("认定类别", max_length=24, choices=DesignationKind.choices)
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField(
        "终止日期", null=True, blank=True, help_text="自该日起不再具有此认定；空为至今有效。"
    )
    basis = models.CharField("认定依据（文号）", max_length=200, blank=True)
    source = models.CharField(
        "来源", max_length=10, choices=DesignationSource.choices, default=DesignationSource.PAGE
    )
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="登记人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    scope_field = "area"
    objects = DesignationQuerySet.as_manager()

    class Meta:
        verbose_name = "区域认定"
        verbose_name_plural = "区域认定"
        ordering = ["area_id", "kind", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kind", "starts_on"],
                condition=models.Q(voided_at__isnull=True),
                name="areas_designation_key",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=models.F("starts_on")),
                name="areas_designation_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["kind", "starts_on"], name="areas_desig_kind_start")]

    def __str__(self):
        return f"{self.area.name} {self.get_kind_display()}（{self.period}）"

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    def in_force(self, day) -> bool:
        return not self.voided and self.starts_on <= day and (self.ends_on is None or day < self.ends_on)

    @property
    def period(self) -> str:
        if self.ends_on is None:
            return f"{self.starts_on:%Y-%m-%d} 起"
        return f"{self.starts_on:%Y-%m-%d} 起，{self.ends_on:%Y-%m-%d} 终止"


class DesignationImport(FileImport):
    """One designations file (区域认定名单) imported into an area, kept with its counts and error report."""

    file = models.FileField("文件", upload_to="imports/designations/%Y/%m/", max_length=300)
    report = models.FileField(
        "错误报告", upload_to="import-reports/designations/%Y/%m/", max_length=300, blank=True
    )
    created = models.PositiveIntegerField("新增认定", default=0)
    updated = models.PositiveIntegerField("更新认定", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    ended = models.PositiveIntegerField("终止原认定", default=0)

    what = "区域认定"

    class Meta:
        verbose_name = "区域认定导入"
        verbose_name_plural = "区域认定导入"
        indexes = [models.Index(fields=["area", "created_at"], name="areas_desigimport_area_at")]

    @property
    def tiles(self) -> list[tuple[str, int]]:
        """The counts as the result page shows them."""
        names = ("total_rows", "valid_rows", "error_rows", "created", "updated", "unchanged", "ended")
        return [(str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in names]
