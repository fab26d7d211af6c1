"""Accounts: staff bound to one area and one role; enterprise and laborer accounts share the table."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

from bangfu.areas.models import Area
from bangfu.areas.scope import AreaScopedQuerySet, code_range


class Kind(models.TextChoices):
    STAFF = "staff", "工作人员"
    ENTERPRISE = "enterprise", "用人单位"
    LABORER = "laborer", "劳动者"


class Role(models.TextChoices):
    NATIONAL = "national", "部级管理员"
    PROVINCE = "province", "省级人社工作人员"
    CITY = "city", "市级人社工作人员"
    COUNTY = "county", "县级人社工作人员"
    TOWNSHIP = "township", "乡镇（街道）人社工作人员"
    VILLAGE = "village", "村级协理员"


# The area level each staff role is bound to.
ROLE_LEVEL = {
    Role.NATIONAL: 0,
    Role.PROVINCE: 1,
    Role.CITY: 2,
    Role.COUNTY: 3,
    Role.TOWNSHIP: 4,
    Role.VILLAGE: 5,
}
LEVEL_ROLE = {level: role for role, level in ROLE_LEVEL.items()}


class UserQuerySet(AreaScopedQuerySet):
    def staff(self):
        return self.filter(kind=Kind.STAFF)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    kind = models.CharField("账号类型", max_length=20, choices=Kind.choices, default=Kind.STAFF)
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    area = models.ForeignKey(
        Area, verbose_name="所属区域", on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    can_manage_users = models.BooleanField("可管理用户", default=False)
    can_view_sensitive = models.BooleanField("可查看完整敏感信息", default=False)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    is_demo = models.BooleanField("演示账号", default=False)

    scope_field = "area"
    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["area_id", "username"]

    def __str__(self):
        return f"{self.name or self.username}（{self.username}）"

    def save(self, *args, **kwargs):
        # A new password ends the API token, however it was set (page, API, reset, `changepassword`).
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user=self).delete()

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def is_staff_account(self) -> bool:
        return self.kind == Kind.STAFF

    @property
    def code_range(self) -> tuple[str, str] | None:
        return code_range(self.area.code, self.area.level) if self.area_id else None

    def can_manage(self, other: "User") -> bool:
        """Staff manage the users of their own subtree, never above it, never themselves or superusers."""
        return (
            self.is_active
            and self.can_manage_users
            and self.area_id is not None
            and other.pk != self.pk
            and not other.is_superuser
            and other.area_id is not None
            and self.area.contains(other.area_id)
        )
