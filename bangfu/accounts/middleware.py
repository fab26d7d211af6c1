"""Sends users who must change their password (a new account, or one a manager reset) to do so first.

Pages are redirected to the password change form (an htmx fragment's redirect becomes a whole-page one in
`core.htmx.HtmxRedirectMiddleware`); the API answers 403 in Chinese, never with a page."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from bangfu.core.access import MUST_CHANGE_PASSWORD_MESSAGE


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MUST_CHANGE_PASSWORD_MESSAGE}, status=403)
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)
