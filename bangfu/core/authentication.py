"""API token authentication with the same account rules as the login page."""

from django.conf import settings
from rest_framework import authentication, exceptions

from bangfu.core.access import MUST_CHANGE_PASSWORD_MESSAGE


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        try:
            user, token = super().authenticate_credentials(key)
        except exceptions.AuthenticationFailed as exc:
            raise exceptions.AuthenticationFailed("接口令牌无效或已失效。") from exc
        if user.is_demo and not settings.BANGFU_DEMO:
            raise exceptions.AuthenticationFailed("演示账号只能在演示模式下使用。")
        if user.must_change_password:
            raise exceptions.PermissionDenied(MUST_CHANGE_PASSWORD_MESSAGE)
        return user, token
