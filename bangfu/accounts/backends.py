"""Authentication: Django's model backend, with demo accounts refused outside demo mode."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user):
        if getattr(user, "is_demo", False) and not settings.BANGFU_DEMO:
            return False
        return super().user_can_authenticate(user)
