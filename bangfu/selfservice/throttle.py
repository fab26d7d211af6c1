"""How often codes may be sent and wrong ones typed, counted from the kept codes and wrong codes (the
BANGFU_SELF_* settings; the staff login's throttle in accounts/throttle.py counts the audit log the same
way). A refusal names how long to wait, never whether the phone is registered."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from bangfu.selfservice.models import Code, WrongCode


def _since(minutes: int):
    return timezone.now() - timedelta(minutes=minutes)


def locked(phone: str, ip: str | None) -> bool:
    """True while the phone, or the address, has too many wrong codes in the last LOCK minutes."""
    wrong = WrongCode.objects.filter(at__gte=_since(settings.BANGFU_SELF_LOCK_MINUTES))
    if phone and wrong.filter(phone=phone).count() >= settings.BANGFU_SELF_MAX_WRONG:
        return True
    return bool(ip) and wrong.filter(ip=ip).count() >= settings.BANGFU_SELF_MAX_WRONG_PER_IP


def locked_message() -> str:
    return f"验证码错误次数过多，已暂时锁定，请 {settings.BANGFU_SELF_LOCK_MINUTES} 分钟后再试。"


def send_refusal(phone: str, ip: str | None) -> str:
    """Why no code may be sent now to `phone` from `ip`, in Chinese; "" when one may."""
    if locked(phone, ip):
        return locked_message()
    sent = Code.objects.filter(created_at__gte=_since(settings.BANGFU_SELF_SEND_WINDOW_MINUTES))
    last = sent.filter(phone=phone).order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None:
        wait = settings.BANGFU_SELF_CODE_RESEND_SECONDS - (timezone.now() - last).total_seconds()
        if wait > 0:
            return f"验证码已发送，请 {int(wait) + 1} 秒后再重新获取。"
    if sent.filter(phone=phone).count() >= settings.BANGFU_SELF_CODES_PER_PHONE:
        return "该手机号获取验证码次数过多，请稍后再试。"
    if ip and sent.filter(ip=ip).count() >= settings.BANGFU_SELF_CODES_PER_IP:
        return "本网络获取验证码次数过多，请稍后再试。"
    return ""
