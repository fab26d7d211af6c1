"""No server error anywhere: every URL pattern of the URLconf (format suffixes included), with hostile path
and query parameters, as a logged-in staff user, as an enterprise user (the portals) and as a laborer
(劳动者自助服务). Bad input is a 4xx or a page that says what is wrong, never a 500.

Path parameters: the real object of the area-scope world (core/tests/test_area_scope_everywhere.py), then
hostile values in its place. Query parameters: every name the view's app reads (from its source and its
FilterSets), all at once with each hostile value, and one at a time with the values that crashed before.
One world for the whole sweep; each request in a savepoint, so a database error shows as the request's
failure (PostgreSQL would refuse every later query of an aborted transaction).
"""

import importlib
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import django_filters
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

import bangfu
from bangfu.core.tests.test_area_scope_everywhere import OBJECT_VIEWS, county_a_objects  # noqa: F401

HUGE = "99999999999999999999"  # past a 64-bit integer: Python's int takes it, SQLite and PostgreSQL do not
HOSTILE_PATH = (HUGE, "-1", "0", "¹", "١٢", "x", " ")
HOSTILE_QUERY = (HUGE, f"-{HUGE}", "-1", "¹", "١٢", "", "a\x00b", "2024-99-99", "1e999", "[]")
# One parameter at a time on lists and searches (a filter the others would have made invalid is still
# tried): the values that pass one check and fail a later one (isdigit(), then int() or the database).
ONE_AT_A_TIME = (HUGE, "¹")
COMMON_PARAMS = ("page", "q", "format", "area", "ordering", "page_size", "next", "sort")
# POSTing to these ends the session the sweep runs in.
NO_POST = {"accounts:logout", "accounts:password_change", "accounts:token_revoke", "selfservice:logout"}


def _patterns(resolver=None, pieces=(), namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, (*pieces, entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield (*pieces, entry.pattern), namespace + (entry.name or ""), entry.callback


_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^()]*\)")


def _template(pieces) -> str:
    """The URL with `{name}` for each parameter, from path() routes and DRF's regexes alike."""
    out = ""
    for piece in pieces:
        if isinstance(piece, RoutePattern):
            out += _ROUTE_PARAM.sub(r"{\1}", str(piece).replace("<drf_format_suffix:format>", ".{format}"))
        else:
            assert isinstance(piece, RegexPattern)
            text = str(piece).removeprefix("^").removesuffix("$")
            text = _REGEX_PARAM.sub(r"{\1}", text).replace(r"\.", ".").replace("/?", "/")
            assert not re.search(r"[\\^$?*+()\[\]]", text), f"cannot build a URL from {piece}"
            out += text
    return "/" + out


def _app_of(callback) -> str:
    module = getattr(callback, "__module__", "") or ""
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is not None:
        module = cls.__module__
    parts = module.split(".")
    return parts[1] if parts[0] == "bangfu" and len(parts) > 1 else ""


_READ = re.compile(r"\b(?:GET|params|query_params)\.(?:get|getlist)\(\s*\"(\w+)\"|GET\[\"(\w+)\"\]")


def _params_read_by(app: str) -> tuple[str, ...]:
    names = set(COMMON_PARAMS)
    folder = Path(bangfu.__file__).parent / app
    for path in folder.rglob("*.py") if app else ():
        if "tests" not in path.parts and "migrations" not in path.parts:
            names.update(a or b for a, b in _READ.findall(path.read_text(encoding="utf-8")))
    for filterset in _filtersets():
        if filterset.__module__.startswith(f"bangfu.{app}."):
            names.update(filterset.base_filters)
    return tuple(sorted(names))


def _filtersets():
    for config in ("registry", "compare", "employers", "jobs", "employment", "referrals"):
        importlib.import_module(f"bangfu.{config}.filters")
    seen, todo = [], [django_filters.FilterSet]
    while todo:
        for sub in todo.pop().__subclasses__():
            seen.append(sub)
            todo.append(sub)
    return seen


def _path(template: str, values: dict) -> str:
    return template.format(**{k: quote(str(v), safe="") for k, v in values.items()})


def _valid_kwargs(name, params, objects) -> dict:
    kwargs = OBJECT_VIEWS[name][0](objects) if name in OBJECT_VIEWS else {}
    return {p: kwargs.get(p, "json" if p == "format" else 1) for p in params}


class Sweep:
    def __init__(self):
        self.failures: list[str] = []
        self.requests = 0

    def send(self, client, method, url, data=None):
        self.requests += 1
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, data or {})
        except Exception as exc:  # the test client re-raises what the view raised
            self.failures.append(f"{method.upper()} {url!r}: {type(exc).__name__}: {str(exc)[:120]}")
            return 500
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {url!r}: {response.status_code}")
        return response.status_code


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _enterprise_user(objects):
    from bangfu.accounts.models import Kind, User

    return User.objects.filter(kind=Kind.ENTERPRISE, is_active=True).first()


def test_a_nul_character_typed_anywhere_is_a_chinese_400(users, client_for):
    # PostgreSQL refuses NUL in text: the area search, the picker and the occupation lookup answered a server
    # error there (SQLite kept the character). Nothing a person types holds one.
    client = client_for(users["county_a"])
    for url in ("/areas/search/?q=a%00b", "/jobs/occupations/?q=%00", "/registry/people/?a%00=1"):
        page = client.get(url)
        assert page.status_code == 400 and "空字符" in page.content.decode(), url
    api = client.get("/api/v1/areas/", {"q": "土\x00地"})
    assert api.status_code == 400 and "空字符" in api.json()["detail"]
    typed = "application/x-www-form-urlencoded"  # what a browser sends for a form without a file
    assert client.post("/registry/check/", "id_number=43312%00", content_type=typed).status_code == 400


def test_no_server_error_on_any_url(users, county_a_objects):  # noqa: F811
    staff = _client(users["county_a"])
    enterprise_user = _enterprise_user(county_a_objects)
    assert enterprise_user is not None, "the world has an enterprise account (employers' scope cases)"
    enterprise = _client(enterprise_user)
    laborer = _client(county_a_objects["laborer_user"])  # the laborer account of selfservice's cases
    sweep = Sweep()
    patterns = list(_patterns())
    assert len(patterns) > 150
    for pieces, name, callback in patterns:
        template = _template(pieces)
        params = re.findall(r"\{(\w+)\}", template)
        valid = _valid_kwargs(name, params, county_a_objects)
        client = laborer if name.startswith("selfservice:") else enterprise if "portal" in name else staff
        url = _path(template, valid)
        if "format" in params:
            # A format suffix reaches the same view as the plain route: the view must take it (DRF passes
            # it as a keyword), in JSON and in the browsable API.
            for suffix in ("json", "api"):
                sweep.send(client, "get", _path(template, {**valid, "format": suffix}))
            if name not in NO_POST:
                sweep.send(client, "post", url)
            continue
        if name not in NO_POST:
            sweep.send(client, "post", url)
        for param in params:
            for value in HOSTILE_PATH:
                hostile = _path(template, {**valid, param: value})
                sweep.send(client, "get", hostile)
                if value == HUGE and name not in NO_POST:
                    sweep.send(client, "post", hostile)
        if sweep.send(client, "get", url) == 405:
            continue  # POST only: its query string is never read
        query_names = _params_read_by(_app_of(callback))
        for value in HOSTILE_QUERY:
            sweep.send(client, "get", url + "?" + urlencode(dict.fromkeys(query_names, value)))
        if params:
            continue  # one record's page: the filters are the lists'
        for query_name in query_names:
            for value in ONE_AT_A_TIME:
                sweep.send(client, "get", url + "?" + urlencode({query_name: value}))
    assert sweep.failures == [], f"{len(sweep.failures)} of {sweep.requests} requests:\n" + "\n".join(
        sweep.failures
    )
