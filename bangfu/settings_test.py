"""Settings for the test suite: the real settings, with a throw-away data folder and a fast hasher."""

import os
import tempfile

os.environ.setdefault("BANGFU_DATA_DIR", tempfile.mkdtemp(prefix="bangfu-test-"))
# Browser tests talk to a plain-HTTP live server; the production default (secure cookies) is tested apart.
os.environ.setdefault("BANGFU_SECURE_COOKIES", "0")

from bangfu.settings import *  # noqa: F403
from bangfu.settings import ALLOWED_HOSTS

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "localhost"]
# Argon2 stays the production hasher (tested in accounts/tests/test_passwords.py); tests hash fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
