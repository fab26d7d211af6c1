"""API tokens end: after BANGFU_API_TOKEN_DAYS, and at once when the password changes, however it is
changed. A browser-session call without the CSRF token is refused in Chinese."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from bangfu.accounts import actions
from bangfu.conftest import PASSWORD
from bangfu.core.errors import API_CSRF_MESSAGE

NEW_PASSWORD = "Fresh-pass-2027"


def issue(username="u_county_a") -> str:
    response = Client().post(reverse("api-token"), {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return response.json()["token"]


def me(key):
    return Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api-me"))


def test_a_token_expires_after_its_lifetime(users, settings):
    settings.BANGFU_API_TOKEN_DAYS = 7
    response = Client().post(reverse("api-token"), {"username": "u_county_a", "password": PASSWORD})
    key, expires = response.json()["token"], dt.datetime.fromisoformat(response.json()["expires"])
    assert abs(expires - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    assert me(key).status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(days=7, minutes=1))
    response = me(key)
    assert response.status_code == 401 and "接口令牌已过期" in response.json()["detail"]
    settings.BANGFU_API_TOKEN_DAYS = 8  # the lifetime is read when the token is used
    assert me(key).status_code == 200


def test_the_profile_page_says_until_when(users, client_for, settings):
    settings.BANGFU_API_TOKEN_DAYS = 7
    user = users["county_a"]
    token = actions.issue_token(user)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(days=8))
    text = client_for(user).get(reverse("accounts:profile")).content.decode()
    assert "7 天内有效" in text and "过期" in text


def test_a_token_dies_when_its_owner_changes_the_password(users, client_for):
    key = issue()
    client_for(users["county_a"]).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert me(key).status_code == 401


def test_a_token_dies_when_the_password_is_set_outside_the_pages(users):
    key = issue()
    user = users["county_a"]
    user.set_password(NEW_PASSWORD)  # as `bangfu changepassword` or a script would
    user.save()
    assert me(key).status_code == 401
    # Saving anything else keeps it.
    key = issue("u_county_b")
    other = users["county_b"]
    other.name = "凤凰县管理员"
    other.save()
    assert me(key).status_code == 200


def test_api_csrf_failure_is_in_chinese(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["county_a"])
    response = client.post(reverse("area-list"), {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == API_CSRF_MESSAGE
