"""劳动者自助服务: a laborer's account linked to their registry person, and the one-time codes that sign
them in (sent as a text message, kept only as a keyed hash) with the wrong ones that lock a phone."""

from django.conf import settings
from django.db import models

from bangfu.core.idnumber import mask_phone


class Account(models.Model):
    """A laborer-kind user and the registry person they are: made at their first sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.PROTECT,
        related_name="laborer_account",
    )
    person = models.OneToOneField(
        "registry.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="laborer_account"
    )
    created_at = models.DateTimeField("开通时间", auto_now_add=True)
    last_sign_in_at = models.DateTimeField("最近登录", null=True, blank=True)

    class Meta:
        verbose_name = "劳动者账号"
        verbose_name_plural = "劳动者账号"

    def __str__(self):
        return f"劳动者账号 {self.user.username}"


class Code(models.Model):
    """One sign-in code sent (or, for a phone not in the registry, made and never sent: the answers and
    the limits are the same either way). Only an HMAC of phone and code is kept."""

    phone = models.CharField("手机号", max_length=11)
    digest = models.CharField("验证码摘要", max_length=64)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    sent = models.BooleanField("已发送", default=False)  # False: the phone is not in the registry
    created_at = models.DateTimeField("生成时间", auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)  # a newer code, or the phone locked

    class Meta:
        verbose_name = "登录验证码"
        verbose_name_plural = "登录验证码"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "created_at"]), models.Index(fields=["ip", "created_at"])]

    def __str__(self):
        return f"{mask_phone(self.phone)} 验证码"


class WrongCode(models.Model):
    """A wrong code (or wrong ID digits when choosing who one is): counted to lock the phone."""

    phone = models.CharField("手机号", max_length=11)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "验证失败"
        verbose_name_plural = "验证失败"
        indexes = [models.Index(fields=["phone", "at"]), models.Index(fields=["ip", "at"])]

    def __str__(self):
        return f"{mask_phone(self.phone)} 验证失败"
