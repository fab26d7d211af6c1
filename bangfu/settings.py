"""Django settings for bangfu, read from the environment so one build serves demo, tests and production.

Environment variables (all optional):
  BANGFU_DATA_DIR      folder for the embedded SQLite database, secret key and uploaded files (default ./data)
  DATABASE_URL         e.g. postgres://user@host:5432/bangfu; when unset, SQLite in BANGFU_DATA_DIR
  BANGFU_SECRET_KEY    secret key; when unset, one is generated once into BANGFU_DATA_DIR/secret_key
  BANGFU_DEBUG         1 to turn on Django's debug mode (never in production)
  BANGFU_DEMO          1 in demo mode: demo accounts may log in
  BANGFU_ALLOWED_HOSTS comma-separated host names (default: localhost, 127.0.0.1, [::1])
  BANGFU_CSRF_TRUSTED_ORIGINS  comma-separated origins when served behind a reverse proxy
  BANGFU_SECURE_COOKIES 1/0; default on unless debug or demo mode (production is served over HTTPS)
  BANGFU_BEHIND_HTTPS_PROXY 1 behind a TLS-terminating proxy that sets X-Forwarded-Proto/-For
  BANGFU_LOGIN_MAX_FAILURES, BANGFU_LOGIN_MAX_FAILURES_PER_IP, BANGFU_LOGIN_LOCK_MINUTES  login throttling
  BANGFU_WINDOW_CHECK_MAX, BANGFU_WINDOW_CHECK_MINUTES  window checks per user and period (default 60 per 60)
  BANGFU_SESSION_SECONDS idle session lifetime (default 7200)
  BANGFU_SELF_*        the laborers' sign-in by text-message code: lifetime, sending limits, lock (see below)
  BANGFU_API_TOKEN_DAYS API token lifetime in days (default 30)
  BANGFU_LOG_LEVEL     root log level (default WARNING)
  BANGFU_READ_*        load limits for reading one uploaded file (see BANGFU_READ_LIMITS below)
  BANGFU_IMPORT_CHUNK_ROWS rows a registry import saves per transaction (default 50000)
  BANGFU_ATTACHMENT_MB largest attachment of a supervision task, reply or rectification (default 20)
  BANGFU_SUPERVISION_AT local time HH:MM of the daily supervision reminders (default 07:30)
  BANGFU_EXPORT_INLINE_ROWS exports of up to this many rows are written in the request (default 5000)
  BANGFU_EXPORT_KEEP_DAYS days a background export's file is kept for download (default 7)
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("BANGFU_DATA_DIR", "data")).resolve()
DEBUG = env_flag("BANGFU_DEBUG")
BANGFU_DEMO = env_flag("BANGFU_DEMO")


def _secret_key() -> str:
    if key := os.environ.get("BANGFU_SECRET_KEY"):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("BANGFU_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BANGFU_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "bangfu.core",
    "bangfu.areas",
    "bangfu.accounts",
    "bangfu.audit",
    "bangfu.dashboard",
    "bangfu.registry",
    "bangfu.compare",
    "bangfu.employers",
    "bangfu.jobs",
    "bangfu.matching",
    "bangfu.employment",
    "bangfu.referrals",
    "bangfu.notices",
    "bangfu.fairs",
    "bangfu.rules",
    "bangfu.formats",
    "bangfu.tracking",
    "bangfu.workforce",
    "bangfu.stats",
    "bangfu.targets",
    "bangfu.dispatch",
    "bangfu.supervision",
    "bangfu.payouts",
    "bangfu.subsidies",
    "bangfu.posts",
    "bangfu.training",
    "bangfu.ventures",
    "bangfu.pension",
    "bangfu.exports",
    "bangfu.ledgers",
    "bangfu.field",
    "bangfu.selfservice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bangfu.core.headers.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bangfu.core.errors.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bangfu.core.htmx.HtmxRedirectMiddleware",
    "bangfu.audit.middleware.AuditContextMiddleware",
    "bangfu.accounts.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "bangfu.urls"
WSGI_APPLICATION = "bangfu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bangfu.core.context_processors.platform",
            ],
        },
    },
]

# Database: PostgreSQL when DATABASE_URL names one, else embedded SQLite in WAL mode.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "bangfu.sqlite3",
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=10000; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY; "
                    "PRAGMA mmap_size=1073741824;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["bangfu.accounts.backends.AccountBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "bangfu.accounts.validators.CharacterClassValidator"},
    {"NAME": "bangfu.accounts.validators.VarietyValidator"},
]

# Login throttling, counted from the audit log's failed-login events.
BANGFU_LOGIN_MAX_FAILURES = int(os.environ.get("BANGFU_LOGIN_MAX_FAILURES", "5"))
BANGFU_LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("BANGFU_LOGIN_MAX_FAILURES_PER_IP", "30"))
BANGFU_LOGIN_LOCK_MINUTES = int(os.environ.get("BANGFU_LOGIN_LOCK_MINUTES", "15"))

# The laborers' sign-in by a one-time code sent as a text message (bangfu/selfservice): how long a code
# lives, how often one may be sent (per phone: not again within RESEND seconds, at most PER_PHONE in
# SEND_WINDOW minutes; per client address at most PER_IP), and the lock after wrong codes (per phone
# MAX_WRONG, per address MAX_WRONG_PER_IP, in and for LOCK minutes). Security settings, not policy rules.
BANGFU_SELF_CODE_MINUTES = int(os.environ.get("BANGFU_SELF_CODE_MINUTES", "5"))
BANGFU_SELF_CODE_RESEND_SECONDS = int(os.environ.get("BANGFU_SELF_CODE_RESEND_SECONDS", "60"))
BANGFU_SELF_SEND_WINDOW_MINUTES = int(os.environ.get("BANGFU_SELF_SEND_WINDOW_MINUTES", "60"))
BANGFU_SELF_CODES_PER_PHONE = int(os.environ.get("BANGFU_SELF_CODES_PER_PHONE", "5"))
BANGFU_SELF_CODES_PER_IP = int(os.environ.get("BANGFU_SELF_CODES_PER_IP", "30"))
BANGFU_SELF_MAX_WRONG = int(os.environ.get("BANGFU_SELF_MAX_WRONG", "5"))
BANGFU_SELF_MAX_WRONG_PER_IP = int(os.environ.get("BANGFU_SELF_MAX_WRONG_PER_IP", "30"))
BANGFU_SELF_LOCK_MINUTES = int(os.environ.get("BANGFU_SELF_LOCK_MINUTES", "30"))

# 窗口实名核验 (and registering a person, which checks the same way): at most this many checks per user
# in the last minutes, counted from the kept checks.
BANGFU_WINDOW_CHECK_MAX = int(os.environ.get("BANGFU_WINDOW_CHECK_MAX", "60"))
BANGFU_WINDOW_CHECK_MINUTES = int(os.environ.get("BANGFU_WINDOW_CHECK_MINUTES", "60"))

# API tokens end this many days after they are issued (and at once when the password changes).
BANGFU_API_TOKEN_DAYS = int(os.environ.get("BANGFU_API_TOKEN_DAYS", "30"))
# Registry imports save this many rows per transaction (a household is never split); each chunk commits
# with the mark an interrupted import resumes from (registry/actions.save_import).
BANGFU_IMPORT_CHUNK_ROWS = int(os.environ.get("BANGFU_IMPORT_CHUNK_ROWS", "50000"))
# Exports (bangfu/exports): up to this many rows are written in the request, more by the background
# worker; the worker's files are kept this many days for their user to download, then removed.
BANGFU_EXPORT_INLINE_ROWS = int(os.environ.get("BANGFU_EXPORT_INLINE_ROWS", "5000"))
BANGFU_EXPORT_KEEP_DAYS = int(os.environ.get("BANGFU_EXPORT_KEEP_DAYS", "7"))

# Sessions: expire after 2 idle hours, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("BANGFU_SESSION_SECONDS", str(2 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_flag("BANGFU_SECURE_COOKIES", default=not (DEBUG or BANGFU_DEMO))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: every asset is vendored and served by the platform itself, and no template has
# an inline script, event handler or style attribute (bangfu/static/bangfu/site.js carries the page
# behaviours), so nothing but our own files may run or style a page. The API documentation pages, whose
# vendored UIs style themselves inline, relax style-src only (bangfu/urls.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],  # Bootstrap draws checkboxes, arrows and the menu icon as data: SVG
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if env_flag("BANGFU_BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]  # strings Django does not translate to zh-hans yet
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "files"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The nightly warning scan (bangfu/tracking/tasks.py) runs at this local time, HH:MM.
BANGFU_WARNING_SCAN_AT = os.environ.get("BANGFU_WARNING_SCAN_AT", "02:00")
# When the figures of the day just over are kept for every village (stats/tasks.py), local time.
BANGFU_STATS_CAPTURE_AT = os.environ.get("BANGFU_STATS_CAPTURE_AT", "00:30")
# PostgreSQL memory for a scan's joins and its temporary tables (work_mem, temp_buffers; one transaction).
BANGFU_SCAN_WORK_MEM = os.environ.get("BANGFU_SCAN_WORK_MEM", "256MB")
# SQLite page cache (MB) of a process while it writes a large import (core.bulk.roomy_cache); the
# connection's usual cache is 256 MB. A million-row import touches more pages than that many times over.
BANGFU_SQLITE_BULK_CACHE_MB = int(os.environ.get("BANGFU_SQLITE_BULK_CACHE_MB", "1024"))
# How often today's figures are kept again (minutes; between two, changed villages are computed on read).
BANGFU_STATS_REFRESH_MINUTES = int(os.environ.get("BANGFU_STATS_REFRESH_MINUTES", "10"))

# 督办 (bangfu/supervision): the largest attachment, in MB, and the local time of the daily reminders and
# overdue reports (supervision/tasks.py).
BANGFU_ATTACHMENT_MB = int(os.environ.get("BANGFU_ATTACHMENT_MB", "20"))
BANGFU_SUPERVISION_AT = os.environ.get("BANGFU_SUPERVISION_AT", "07:30")

# Text messages (bangfu/notices/sms.py): the gateway class; the file backend appends to BANGFU_SMS_FILE.
# Online interviews (bangfu/fairs): the meeting link, `{token}` a random token (e.g. self-hosted Jitsi).
BANGFU_SMS_BACKEND = os.environ.get("BANGFU_SMS_BACKEND", "bangfu.notices.sms.FileBackend")
BANGFU_SMS_FILE = Path(os.environ.get("BANGFU_SMS_FILE", DATA_DIR / "sms-outbox.txt"))
BANGFU_SMS_SIGNATURE = os.environ.get("BANGFU_SMS_SIGNATURE", "【人社帮扶】")
BANGFU_SMS_HTTP = {
    "url": os.environ.get("BANGFU_SMS_HTTP_URL", ""),
    "params": dict(p.split("=", 1) for p in env_list("BANGFU_SMS_HTTP_PARAMS", "") if "=" in p),
    "phone_param": os.environ.get("BANGFU_SMS_HTTP_PHONE_PARAM", "mobile"),
    "text_param": os.environ.get("BANGFU_SMS_HTTP_TEXT_PARAM", "content"),
    "success_field": os.environ.get("BANGFU_SMS_HTTP_SUCCESS_FIELD", ""),
    "success_value": os.environ.get("BANGFU_SMS_HTTP_SUCCESS_VALUE", ""),
    "timeout": 10,
}
# The self-hosted video-meeting service of online interviews; unset, online interviews are not offered.
BANGFU_MEETING_URL_PATTERN = os.environ.get("BANGFU_MEETING_URL_PATTERN", "")

# Load limits for reading one uploaded or imported file, checked before the reader allocates anything
# (bangfu/exchange/limits.py, docs/operations.md): BANGFU_READ_SPREADSHEET_MB, _CSV_MB, _INFLATED_MB,
# _COMPRESSION_RATIO, _ROWS, _COLUMNS, _CELLS, _CELL_CHARS, _MERGED_RANGES, _ZIP_MEMBERS. Unset: the
# defaults of exchange.limits.ReadLimits.
READ_LIMIT_NAMES = (
    "spreadsheet_mb", "csv_mb", "inflated_mb", "compression_ratio", "rows", "columns", "cells", "cell_chars",
    "merged_ranges", "zip_members",
)  # fmt: skip
BANGFU_READ_LIMITS = {
    name: int(os.environ[f"BANGFU_READ_{name.upper()}"])
    for name in READ_LIMIT_NAMES
    if os.environ.get(f"BANGFU_READ_{name.upper()}")
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "bangfu.core.authentication.TokenAuthentication",
        "bangfu.core.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["bangfu.core.permissions.IsStaffAccount"],
    # JSON only: the API is for programs, documented at /api/v1/docs/. DRF's browsable pages drew write
    # forms from records they do not describe (a server error on /api/v1/people/<id>.api).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_SCHEMA_CLASS": "bangfu.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "bangfu.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "帮扶 bangfu API",
    "DESCRIPTION": "人社就业帮扶信息平台接口。所有数据按用户所属区域及其下级区域限定；区域外的数据返回 404。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},  # no badge from validator.swagger.io
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "bangfu.core.schema.document_errors",  # the Chinese error bodies of every operation
    ],
    # One name for a choice set that several fields use (a person's 性别 and a job's 性别要求, …).
    "ENUM_NAME_OVERRIDES": {
        "SexEnum": "bangfu.registry.vocab.SEXES",
        "EducationEnum": "bangfu.registry.vocab.EDUCATIONS",
        "ReferralStatusEnum": "bangfu.referrals.models.Status",
        "WarningKindEnum": "bangfu.tracking.models.WarningKind",
        "WarningStatusEnum": "bangfu.tracking.models.WarningStatus",
        "WarningMoveEnum": "bangfu.tracking.api.MOVES",
        "HelpKindEnum": "bangfu.tracking.models.HelpKind",
        "SupervisionStatusEnum": "bangfu.supervision.models.Status",
        "ReplyProgressEnum": "bangfu.supervision.models.Progress",
        "ReplyReviewEnum": "bangfu.supervision.models.Review",
        "RectificationSourceEnum": "bangfu.supervision.models.Source",
        "RectificationStatusEnum": "bangfu.supervision.models.RectStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BANGFU_LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "bangfu.core.errors.csrf_failure"
WHITENOISE_MANIFEST_STRICT = False
