"""企业用工报送: what employers report in the enterprise portal about the people they employ — hires that did
not come through a referral, each month's wage and whether the employer insured them, and departures.

Every reported person is kept as the employer said it, registry or not, so that the portal answers alike
for everyone: whether someone is in the registry is never shown to the employer. Behind the portal each
report is matched to the registry (ID number and name) by the background worker (`actions.apply_pending`):
a registry person's hire becomes an employment record of source 企业报送, a departure ends it, and the
latest month's wage becomes the record's wage. Staff see the reports of their own area's people.
"""

from django.conf import settings
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.idnumber import mask_id
from bangfu.employers.models import Employer
from bangfu.employment.models import EndReason
from bangfu.registry.models import Person


class Via(models.TextChoices):
    FORM = "网页填报", "网页填报"
    FILE = "文件导入", "文件导入"


class HireQuerySet(AreaScopedQuerySet):
    def for_employer_account(self, user):
        """What an enterprise account's employers reported, and only that."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(employer__accounts=user)

    def in_work_during(self, first_day, last_day):
        """Spells with at least one day of work between the two days."""
        return self.filter(started_on__lte=last_day).exclude(ended_on__lt=first_day)


class Hire(models.Model):
    """One spell of work at an employer as the employer reported it: the hire, and later its departure.
    Identified by (employer, 证件号码, 入职日期)."""

    employer = models.ForeignKey(
        Employer, verbose_name="用人单位", on_delete=models.PROTECT, related_name="hires"
    )
    id_number = models.CharField("证件号码", max_length=18)
    name = models.CharField("姓名", max_length=50)
    started_on = models.DateField("入职日期")
    job_title = models.CharField("岗位（工种）", max_length=50, blank=True)
    monthly_wage = models.PositiveIntegerField("月工资", null=True, blank=True)
    work_area = models.ForeignKey(
        Area, verbose_name="工作地", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_on = models.DateField("离职日期", null=True, blank=True)
    end_reason = models.CharField("离职原因", max_length=10, choices=EndReason.choices, blank=True)
    via = models.CharField("报送方式", max_length=4, choices=Via.choices, default=Via.FORM)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送账号", on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最近报送账号", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("报送时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Behind the portal (never shown to the employer): the registry person it was matched to, their village
    # (for area scope, as on Person), the employment record it made or joined, and whether something
    # reported is still to be applied to the records.
    person = models.ForeignKey(
        Person, verbose_name="名册人员", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        Area, verbose_name="所在村", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    record = models.ForeignKey(
        "employment.EmploymentRecord",
        verbose_name="就业记录",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pending = models.BooleanField("待处理", default=True)

    scope_field = "area"
    objects = HireQuerySet.as_manager()

    class Meta:
        verbose_name = "企业报送用工"
        verbose_name_plural = "企业报送用工"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "id_number", "started_on"], name="workforce_hire_key"
            ),
            models.UniqueConstraint(
                fields=["employer", "id_number"],
                condition=models.Q(ended_on__isnull=True),
                name="workforce_hire_one_open_spell",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "started_on"]),
            models.Index(fields=["employer", "ended_on"]),
            models.Index(fields=["person"]),
            models.Index(fields=["pending"], condition=models.Q(pending=True), name="workforce_hire_pending"),
        ]

    def __str__(self):
        return f"{self.name}（{self.masked_id}）@ {self.employer.name} {self.started_on}"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class MonthlyWage(models.Model):
    """One month's wage of a reported hire, and whether the employer insured the person that month
    (kept per month for programs that look back at pay and insurance)."""

    hire = models.ForeignKey(Hire, verbose_name="报送用工", on_delete=models.PROTECT, related_name="wages")
    month = models.DateField("月份")  # the first day of the month
    wage = models.PositiveIntegerField("月工资")
    insured = models.BooleanField("单位参保")
    via = models.CharField("报送方式", max_length=4, choices=Via.choices, default=Via.FORM)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送账号", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("报送时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Copied from the hire once it is matched to the registry (never shown to the employer).
    person = models.ForeignKey(
        Person, verbose_name="名册人员", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        Area, verbose_name="所在村", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "月工资参保"
        verbose_name_plural = "月工资参保"
        ordering = ["-month", "-id"]
        constraints = [models.UniqueConstraint(fields=["hire", "month"], name="workforce_wage_month")]
        indexes = [models.Index(fields=["area", "month"]), models.Index(fields=["person", "month"])]

    def __str__(self):
        return f"{self.hire.name} {self.month:%Y-%m}：{self.wage} 元，{'参保' if self.insured else '未参保'}"
