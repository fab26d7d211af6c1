"""Login throttling, counted from the failed-login events already in the audit log."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from bangfu.audit.models import Action, AuditEvent


def login_blocked(username: str, ip: str | None) -> bool:
    """True while the username, or the address, has too many recent failed logins."""
    since = timezone.now() - timedelta(minutes=settings.BANGFU_LOGIN_LOCK_MINUTES)
    failures = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, at__gte=since)
    if username and failures.filter(username=username).count() >= settings.BANGFU_LOGIN_MAX_FAILURES:
        return True
    return bool(ip) and failures.filter(ip=ip).count() >= settings.BANGFU_LOGIN_MAX_FAILURES_PER_IP


def blocked_message() -> str:
    return (
        f"登录失败次数过多，账号已临时锁定，请 {settings.BANGFU_LOGIN_LOCK_MINUTES} 分钟后再试或联系管理员。"
    )
