"""Shared fixtures: a real area tree (湘西州 and a Guangdong county from the shipped codes) and users of
different reach — province, city, county A (花垣), county B (凤凰), a township and a village of county A.
"""

import os

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, settings

from bangfu.accounts import actions
from bangfu.areas.actions import load_areas
from bangfu.areas.models import Area
from bangfu.exchange.tests.hostile import calamine_forbidden  # noqa: F401

TEST_SUBTREES = (
    "4331",
    "440105",
    "430182",
)  # 湘西州; 广州市海珠区 (outside Hunan); 宁乡市 (once 宁乡县 430124)
COUNTY_A, COUNTY_B = "433124", "433123"
TOWNSHIP_A = "433124102"  # 龙潭镇, in county A
VILLAGE_A = "433124102201"  # a village of 龙潭镇
PASSWORD = "Test-pass-2026"

# Property tests judge answers, not speed: a machine shared by other work must not fail them on the time an
# example or its generation took (Hypothesis's deadline and too_slow check). Tests that set their own
# health checks list too_slow as well.
settings.register_profile("bangfu", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("bangfu")


def pytest_sessionstart(session):
    # Manifest static storage needs collected files, exactly as in production.
    import django

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    # The live server for browser tests would serve /static/ from the finders, which know no hashed names;
    # let requests through to WhiteNoise, which serves them from STATIC_ROOT exactly as in production.
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    StaticFilesHandler._should_handle = lambda self, path: False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_areas(within=TEST_SUBTREES)
        _keep_areas()


# What `load_areas(within=TEST_SUBTREES)` wrote — the areas, the code changes and its audit event — kept
# after the session's first load and written back as they were after each flush (reading the shipped codes
# again took seconds per transactional test).
_LOADED: dict[str, list] = {}


def _keep_areas() -> None:
    from bangfu.areas.models import AreaCodeChange
    from bangfu.audit.models import AuditEvent

    _LOADED["areas"] = list(Area.objects.order_by("code"))
    _LOADED["changes"] = list(AreaCodeChange.objects.all())
    _LOADED["events"] = list(AuditEvent.objects.filter(message__startswith="载入"))


def ensure_areas() -> None:
    """Transactional tests flush the database; put the test areas back when they are gone."""
    if Area.objects.filter(code=COUNTY_B.ljust(12, "0")).exists():
        return
    if not _LOADED:
        load_areas(within=TEST_SUBTREES)
        _keep_areas()
        return
    from bangfu.areas.models import AreaCodeChange
    from bangfu.audit.models import AuditEvent

    Area.objects.bulk_create(_LOADED["areas"], batch_size=500)  # parents first: a parent's code is lower
    AreaCodeChange.objects.bulk_create(_LOADED["changes"])
    events = [
        AuditEvent(**{f.attname: getattr(e, f.attname) for f in e._meta.concrete_fields if not f.primary_key})
        for e in _LOADED["events"]
    ]
    AuditEvent.objects.bulk_create(events)


def area(code: str) -> Area:
    return Area.objects.get(code=code.ljust(12, "0"))


@pytest.fixture
def areas(db):
    ensure_areas()
    return {
        name: area(code)
        for name, code in {
            "province": "43",
            "city": "4331",
            "county_a": COUNTY_A,
            "county_b": COUNTY_B,
            "township_a": TOWNSHIP_A,
            "village_a": VILLAGE_A,
            "guangzhou_haizhu": "440105",
        }.items()
    }


def make_user(username: str, area_obj: Area, **flags):
    flags.setdefault("can_manage_users", True)
    flags.setdefault("can_view_sensitive", True)
    flags.setdefault("must_change_password", False)
    return actions.create_staff_user(None, username=username, password=PASSWORD, area=area_obj, **flags)


@pytest.fixture
def users(areas):
    """One user per reach; all may manage users and see sensitive data unless a test says otherwise."""
    return {
        "province": make_user("u_province", areas["province"]),
        "city": make_user("u_city", areas["city"]),
        "county_a": make_user("u_county_a", areas["county_a"], phone="13812345678"),
        "county_b": make_user("u_county_b", areas["county_b"]),
        "township_a": make_user("u_township_a", areas["township_a"]),
        "village_a": make_user("u_village_a", areas["village_a"], can_manage_users=False),
    }


@pytest.fixture
def meeting_service(settings):
    """A configured video-meeting service (online interviews are offered only with one)."""
    settings.BANGFU_MEETING_URL_PATTERN = "https://meet.rsj.example.gov.cn/bangfu-{token}"
    return settings.BANGFU_MEETING_URL_PATTERN


@pytest.fixture
def client_for(client):
    """A logged-in test client for one of the users."""
    from django.test import Client

    def login(user):
        c = Client()
        c.force_login(user)
        return c

    return login


# Browser tests -----------------------------------------------------------------------------------------
# Playwright's sync API runs an event loop in this thread; Django's ORM calls from fixtures and tests
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's package) for the whole run, driven from the main thread."""
    from playwright.sync_api import sync_playwright

    from bangfu.core.tests.browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser):
    """A page on a phone and on a desktop: every test using it runs twice."""
    from bangfu.core.tests.browser import new_page

    context, page = new_page(browser, request.param)
    # Whatever the Content-Security-Policy refuses (an inline script, handler or style) fails the test.
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not refused, refused


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="only the tests that use the database (CI's PostgreSQL pass; the SQLite pass runs the rest)",
    )


def pytest_collection_modifyitems(config, items):
    """With --database-tests-only, leave out the tests that touch no database: plain-Python engines, files,
    parsers — the same on any database, run once in CI's SQLite pass. A test uses the database when it
    asks for `db`, `transactional_db` or `live_server` (or a fixture built on them) or is marked
    `django_db`."""
    if not config.getoption("--database-tests-only"):
        return
    database = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
    database |= {"live_server"}
    kept, left = [], []
    for item in items:
        uses = database & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("django_db")
        (kept if uses else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
