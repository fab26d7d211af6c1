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

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file in WAL mode, as in production, not Django's shared-cache memory database: the live server's
    # threads open connections of their own, and shared-cache memory
    # databases lock whole tables between connections ("database table is locked") instead of waiting.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Django's backend with a faster flush for transactional tests (see the module).
    DATABASES["default"]["ENGINE"] = "bangfu.core.tests.pgflush"  # noqa: F405
