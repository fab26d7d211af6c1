"""Password rules and hashing."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from bangfu.conftest import PASSWORD


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab1", "此密码太短"),
        ("1234567890123", "密码只包含数字"),
        ("abcdefghijkl", "密码必须同时包含字母和数字"),
        ("password123", "这个密码太常见了"),
        ("aaaaaaaaaa1", "重复或连续的字符"),
        ("abcdefghij1", "重复或连续的字符"),
        ("qwertyuiop12", "重复或连续的字符"),
        ("Ab1Ab1Ab1Ab1", "重复或连续的字符"),
        ("zyxwvu987654", "重复或连续的字符"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(users, client_for, password, message):
    c = client_for(users["county_a"])
    response = c.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": password,
            "new_password2": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    users["county_a"].refresh_from_db()
    assert users["county_a"].check_password(PASSWORD)


def test_wrong_old_password_is_refused(users, client_for):
    response = client_for(users["county_a"]).post(
        reverse("accounts:password_change"),
        {
            "old_password": "not-it-123",
            "new_password1": "Fresh-pass-2027",
            "new_password2": "Fresh-pass-2027",
        },
    )
    assert "原密码不正确" in response.content.decode()


def production_setting(expr: str, **env) -> str:
    """Evaluate a setting as production would load it: a fresh process, clean environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BANGFU_", "DJANGO_", "DATABASE_URL"))}
    clean.update(env)
    code = f"import bangfu.settings as s; print({expr})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_production_defaults_are_safe(tmp_path):
    data = str(tmp_path)
    assert production_setting("s.PASSWORD_HASHERS[0]", BANGFU_DATA_DIR=data).endswith("Argon2PasswordHasher")
    assert production_setting("s.DEBUG", BANGFU_DATA_DIR=data) == "False"
    assert (
        production_setting("s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE", BANGFU_DATA_DIR=data) == "True"
    )
    assert production_setting("s.SESSION_COOKIE_SECURE", BANGFU_DATA_DIR=data, BANGFU_DEMO="1") == "False"
    # The secret key is generated into the data folder, never read from the repository.
    key = production_setting("s.SECRET_KEY", BANGFU_DATA_DIR=data)
    assert len(key) > 40 and (tmp_path / "secret_key").read_text().strip() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
