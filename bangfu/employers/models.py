"""The employers ledger (企业台帐): enterprises, workshops and bases that hire poor laborers, and the
labor-cooperation relations between sending and receiving areas."""

from django.conf import settings
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet
from bangfu.core.idnumber import mask_phone


class EmployerKind(models.TextChoices):
    ENTERPRISE = "企业", "企业"
    POVERTY_WORKSHOP = "扶贫车间", "扶贫车间"
    ASSISTANCE_WORKSHOP = "就业帮扶车间", "就业帮扶车间"
    ASSISTANCE_BASE = "就业帮扶基地", "就业帮扶基地"
    COOPERATION_BASE = "劳务协作基地", "劳务协作基地"


class Employer(models.Model):
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField(
        "类型", max_length=10, choices=EmployerKind.choices, default=EmployerKind.ENTERPRISE
    )
    # Where the employer is registered; its jobs may be elsewhere (Job.area).
    area = models.ForeignKey(Area, verbose_name="所在地", on_delete=models.PROTECT, related_name="employers")
    address = models.CharField("地址", max_length=200, blank=True)
    industry = models.CharField("行业", max_length=50, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    # Enterprise-kind user accounts that act for this employer in the enterprise portal.
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="企业账号", related_name="employers", blank=True
    )
    is_active = models.BooleanField("有效", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_field = "area"
    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "用人单位"
        verbose_name_plural = "用人单位"
        indexes = [models.Index(fields=["area", "name"])]

    def __str__(self):
        return self.name

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class CooperationQuerySet(AreaScopedQuerySet):
    def active_on(self, day):
        """Relations in force on `day`: started (or no start given) and not ended."""
        return self.exclude(started_on__gt=day).exclude(ended_on__lte=day)


class Cooperation(models.Model):
    """劳务协作: a sending area (e.g. 湘西州) and a receiving area (e.g. 广州市黄埔区) working together."""

    sending_area = models.ForeignKey(
        Area, verbose_name="输出地", on_delete=models.PROTECT, related_name="cooperations_sending"
    )
    receiving_area = models.ForeignKey(
        Area, verbose_name="输入地", on_delete=models.PROTECT, related_name="cooperations_receiving"
    )
    started_on = models.DateField("开始日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("协作内容", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "sending_area"
    objects = CooperationQuerySet.as_manager()

    class Meta:
        verbose_name = "劳务协作关系"
        verbose_name_plural = "劳务协作关系"
        constraints = [
            models.UniqueConstraint(fields=["sending_area", "receiving_area"], name="cooperation_pair_unique")
        ]

    def __str__(self):
        return f"{self.sending_area.full_name} → {self.receiving_area.full_name}"

    def is_active_on(self, day) -> bool:
        return (self.started_on is None or self.started_on <= day) and (
            self.ended_on is None or self.ended_on > day
        )
