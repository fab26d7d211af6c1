"""Where the current request came from, so actions can audit without passing the request around."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    channel: str = "命令行"


_DEFAULT = Origin()
_origin: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def current_origin() -> Origin:
    return _origin.get() or _DEFAULT


def set_origin(origin: Origin):
    return _origin.set(origin)


def reset_origin(token) -> None:
    _origin.reset(token)


def client_ip(request) -> str | None:
    """The client address; X-Forwarded-For is trusted only behind a configured proxy, and only its last
    entry (the one our own proxy appended), since a client can put anything before it."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
