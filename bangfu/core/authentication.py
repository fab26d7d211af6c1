"""API authentication with the same account rules as the login page, and Chinese answers."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions

from bangfu.core.access import MUST_CHANGE_PASSWORD_MESSAGE
from bangfu.core.errors import API_CSRF_MESSAGE


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser session, as DRF's, with the CSRF refusal in Chinese."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            raise exceptions.PermissionDenied(API_CSRF_MESSAGE) from exc


class SessionAuthScheme(SessionScheme):
    """The schema describes our session authentication as DRF's (drf-spectacular matches the class)."""

    target_class = SessionAuthentication


def token_expires_at(token) -> datetime:
    """A token lives BANGFU_API_TOKEN_DAYS from its issue; a new one is issued with the password."""
    return token.created + timedelta(days=settings.BANGFU_API_TOKEN_DAYS)


class TokenAuthentication(authentication.TokenAuthentication):
    """Tokens expire, and die with a password change or reset (accounts.actions deletes them)."""

    def authenticate_credentials(self, key):
        try:
            user, token = super().authenticate_credentials(key)
        except exceptions.AuthenticationFailed as exc:
            raise exceptions.AuthenticationFailed("接口令牌无效或已失效。") from exc
        if token_expires_at(token) <= timezone.now():
            raise exceptions.AuthenticationFailed(
                "接口令牌已过期：请用用户名和密码重新获取（POST /api/v1/auth/token/），"
                "或在个人资料页重新生成。"
            )
        if user.is_demo and not settings.BANGFU_DEMO:
            raise exceptions.AuthenticationFailed("演示账号只能在演示模式下使用。")
        if user.must_change_password:
            raise exceptions.PermissionDenied(MUST_CHANGE_PASSWORD_MESSAGE)
        return user, token
