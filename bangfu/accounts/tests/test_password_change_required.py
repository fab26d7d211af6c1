"""A user who must change the password is sent to do so, and no fragment or API call ever receives a page.

The navbar's message badge is an htmx fragment: were it redirected to the password page, the page (with
its own badge) would be swapped into the badge, and so on without end."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from bangfu.conftest import PASSWORD
from bangfu.notices.models import Notification

HTMX = {"HX-Request": "true"}


def htmx_from(page: str) -> dict:
    return {**HTMX, "HX-Current-URL": f"http://testserver{page}"}


@pytest.fixture
def newcomer(users, client_for):
    """A staff account as a manager creates it: the password must be changed at first login."""
    user = users["township_a"]
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    Notification.objects.create(recipient=user, title="欢迎使用")
    return user, client_for(user)


def test_badge_on_the_password_page_is_an_empty_204(newcomer):
    _, c = newcomer
    password_page = reverse("accounts:password_change")
    response = c.get(reverse("notices:badge"), headers=htmx_from(password_page))
    assert response.status_code == 204
    assert response.content == b""
    assert not response.has_header("Location") and not response.has_header("HX-Redirect")


def test_fragment_from_another_page_sends_the_whole_page_to_the_password_form(newcomer):
    _, c = newcomer
    response = c.get(reverse("notices:badge"), headers=htmx_from("/registry/people/"))
    assert response.status_code == 204 and response.content == b""
    assert response["HX-Redirect"] == reverse("accounts:password_change")
    assert not response.has_header("Location")


def test_pages_still_go_to_the_password_form(newcomer):
    _, c = newcomer
    response = c.get(reverse("dashboard:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")


def test_api_with_the_session_is_a_chinese_403(newcomer):
    _, c = newcomer
    response = c.get(reverse("api-me"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "修改初始密码" in response.json()["detail"]
    response = c.get("/api/v1/people/", headers=HTMX)
    assert response.status_code == 403 and "修改初始密码" in response.json()["detail"]


def test_api_token_of_a_user_who_must_change_is_refused(newcomer):
    user, _ = newcomer
    token = Token.objects.create(user=user)
    response = Client().get(reverse("api-me"), headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 403
    assert "修改初始密码" in response.json()["detail"]


def test_after_the_change_the_badge_is_a_badge(newcomer):
    _, c = newcomer
    c.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Fresh-pass-2027", "new_password2": "Fresh-pass-2027"},
    )
    response = c.get(reverse("notices:badge"), headers=htmx_from("/"))
    assert response.status_code == 200
    assert response.content.decode().startswith('<span class="badge')


def test_expired_session_sends_the_page_to_login_and_back_to_it(db):
    """login_required's redirect answers a fragment with the login page as a whole page; `next` is the
    page the fragment was on, never the fragment."""
    response = Client().get(reverse("notices:badge"), headers=htmx_from("/registry/imports/7/?tab=1"))
    assert response.status_code == 204 and not response.has_header("Location")
    assert response["HX-Redirect"] == "/login/?next=%2Fregistry%2Fimports%2F7%2F%3Ftab%3D1"


def test_staff_pages_polled_without_a_session_do_not_receive_the_login_page(db):
    response = Client().get(reverse("registry:import_detail", args=[1]), headers=HTMX)
    assert response.status_code == 204 and response.content == b""
    assert response["HX-Redirect"] == reverse("accounts:login")


def test_trailing_slash_redirects_of_fragments_are_left_to_the_browser(users, client_for):
    response = client_for(users["county_a"]).get("/notices/badge", headers=HTMX)
    assert response.status_code == 301 and response["Location"] == "/notices/badge/"
