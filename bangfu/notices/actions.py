"""Sending notices. Nothing leaves before the change it reports commits: the inbox entries and text
messages are made in `transaction.on_commit`, so a rolled-back referral notifies nobody, and a gateway
failure is recorded in the outbox without touching the change that caused it."""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bangfu.notices.models import Notification, SmsMessage, SmsStatus
from bangfu.notices.sms import SmsError, get_backend

logger = logging.getLogger("bangfu.sms")


def notify_users(users: Iterable, *, title: str, body: str = "", link: str = "") -> None:
    """In-app notices for `users`, written once the current transaction commits."""
    recipients = [u for u in users if u is not None and getattr(u, "pk", None)]
    if not recipients:
        return

    def create():
        Notification.objects.bulk_create(
            Notification(recipient=u, title=title[:200], body=body, link=link) for u in recipients
        )

    transaction.on_commit(create, robust=True)


def send_sms(
    phone: str,
    text: str,
    *,
    area=None,
    ref: str = "",
    on_sent: Callable[[], None] | None = None,
    kept_as: str | None = None,
) -> None:
    """A text message, queued in the outbox and sent once the current transaction commits. `kept_as` is
    the text the outbox keeps instead of the one sent (a sign-in code is never readable there)."""
    transaction.on_commit(
        lambda: deliver(phone, text, area=area, ref=ref, on_sent=on_sent, kept_as=kept_as), robust=True
    )


def _signed(text: str) -> str:
    signature = settings.BANGFU_SMS_SIGNATURE
    return f"{signature}{text}" if signature and not text.startswith(signature) else text


def deliver(phone: str, text: str, *, area=None, ref: str = "", on_sent=None, kept_as=None) -> SmsMessage:
    """Records the message, hands it to the gateway, and records the outcome; never raises for the
    gateway's failures."""
    body = _signed(text)
    message = SmsMessage.objects.create(
        phone=(phone or "").strip(),
        body=body if kept_as is None else _signed(kept_as),
        area=area,
        ref=ref,
        backend=settings.BANGFU_SMS_BACKEND,
    )
    if not message.phone:
        message.status, message.error = SmsStatus.FAILED, "未登记手机号"
        message.save(update_fields=["status", "error"])
        return message
    try:
        get_backend().send(message.phone, body)
    except SmsError as exc:
        message.status, message.error = SmsStatus.FAILED, str(exc)[:300]
    except Exception as exc:  # a broken gateway must not break the page that triggered it
        logger.exception("短信发送出错")
        message.status, message.error = SmsStatus.FAILED, f"发送出错：{exc}"[:300]
    else:
        message.status, message.sent_at = SmsStatus.SENT, timezone.now()
    message.save(update_fields=["status", "error", "sent_at"])
    if message.status == SmsStatus.SENT and on_sent is not None:
        try:
            on_sent()
        except Exception:
            logger.exception("短信发送后的处理出错")
    return message


@transaction.atomic
def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Marks the user's own notices read: the given ones, or all."""
    notices = Notification.objects.for_recipient(user).unread()
    if ids is not None:
        notices = notices.filter(pk__in=list(ids))
    return notices.update(read_at=timezone.now())
