"""Login: Chinese messages, audit of success and failure, throttling, demo accounts, password change."""

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.accounts.models import User
from bangfu.areas.models import Area
from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import PASSWORD, make_user


def login(client, username, password, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def test_login_success_is_audited_with_address(users, client):
    response = login(client, "u_county_a", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and response["Location"] == "/"
    event = AuditEvent.objects.filter(action=Action.LOGIN, username="u_county_a").get()
    assert event.ip == "10.1.2.3" and event.channel == "网页" and event.area_code == "433124000000"


def test_wrong_password_shows_chinese_message_and_is_audited(users, client):
    response = login(client, "u_county_a", "wrong-password-1")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.username == "u_county_a" and event.area_code == "433124000000"
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_unknown_user_failure_is_seen_by_national_administrators_only(users, areas, client):
    login(client, "nobody", "whatever-1")
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.username == "nobody" and event.area_code == "000000000000"
    national = make_user("u_nation", Area.objects.get(code="000000000000"))
    assert AuditEvent.objects.for_user(national).filter(pk=event.pk).exists()
    assert not AuditEvent.objects.for_user(users["province"]).filter(pk=event.pk).exists()


def test_accounts_without_area_cannot_log_in_or_open_pages(db, client):
    User.objects.create_user("loose", password=PASSWORD)  # e.g. made with createsuperuser
    response = login(client, "loose", PASSWORD)
    assert response.status_code == 200 and "未绑定管辖区域" in response.content.decode()
    c = Client()
    c.force_login(User.objects.get(username="loose"))
    response = c.get(reverse("dashboard:home"))
    assert response.status_code == 403 and "未绑定管辖区域" in response.content.decode()
    assert c.get(reverse("area-list")).status_code == 403


def test_forwarded_address_is_the_one_our_proxy_appended(users, client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    login(client, "u_county_a", PASSWORD, HTTP_X_FORWARDED_FOR="1.1.1.1, 10.9.8.7", REMOTE_ADDR="127.0.0.1")
    assert AuditEvent.objects.get(action=Action.LOGIN).ip == "10.9.8.7"


def test_login_is_throttled_after_repeated_failures(users, client, settings):
    settings.BANGFU_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        login(client, "u_county_a", "wrong-password-1")
    response = login(client, "u_county_a", PASSWORD)  # even the right password is refused while locked
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client()
    assert login(other, "u_county_b", PASSWORD).status_code == 302  # other accounts are unaffected


def test_inactive_account_cannot_log_in(users, client):
    user = users["county_a"]
    user.is_active = False
    user.save()
    response = login(client, "u_county_a", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize("demo_mode, expected", [(False, 200), (True, 302)])
def test_demo_accounts_work_only_in_demo_mode(areas, client, settings, demo_mode, expected):
    settings.BANGFU_DEMO = demo_mode
    make_user("demo433124", areas["county_a"], is_demo=True)
    assert login(client, "demo433124", PASSWORD).status_code == expected


def test_pages_require_login(db, client):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_user_must_change_reset_password_first(users, client_for):
    user = users["county_a"]
    user.must_change_password = True
    user.save()
    c = client_for(user)
    response = c.get(reverse("dashboard:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    response = c.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Fresh-pass-2027",
            "new_password2": "Fresh-pass-2027",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Fresh-pass-2027")
    assert c.get(reverse("dashboard:home")).status_code == 200


def test_logout_is_post_only_and_audited(users, client_for):
    c = client_for(users["county_a"])
    assert c.get(reverse("accounts:logout")).status_code == 405
    assert c.post(reverse("accounts:logout")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, username="u_county_a").exists()


def test_login_form_requires_csrf_token(users):
    c = Client(enforce_csrf_checks=True)
    response = login(c, "u_county_a", PASSWORD)
    assert response.status_code == 403
    assert "安全校验未通过" in response.content.decode()
