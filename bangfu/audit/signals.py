"""Audit logins, logouts and failed logins from Django's authentication signals."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from bangfu.areas.models import NATION_CODE
from bangfu.audit.log import record
from bangfu.audit.models import Action


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(Action.LOGIN, actor=user, obj=user, message="登录成功")


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, actor=user, obj=user, message="退出登录")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    record(
        Action.LOGIN_FAILED,
        obj=user,
        username=username,
        # Unknown names belong to no area: only national administrators see them.
        area_code=user.area_id if user is not None and user.area_id else NATION_CODE,
        message="用户名或密码错误" if user is None or user.is_active else "账号已停用",
    )
