"""Area scope holds on every page and endpoint: county B gets 404 on county A's data and cannot change it;
county A sees all of its own subtree. A new URL without a row here fails `test_every_url_is_classified`.

Each app adds its own rows in `bangfu/<app>/tests/scope_cases.py`, which may define OBJECT_VIEWS,
LIST_VIEWS and OWN_OR_PUBLIC like the ones below, A_MARKERS (extra text that only county A's lists
show), and `objects(users, base)` returning more county-A objects for its kwargs builders (`base` holds
the objects made so far: user, event, person, batch, and those of apps before it).
"""

import importlib
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bangfu.accounts.models import User
from bangfu.audit.log import record
from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import COUNTY_A, TOWNSHIP_A, VILLAGE_A

# Views that open one area-scoped object: (url name, how to build kwargs from the county-A objects, methods).
OBJECT_VIEWS = {
    "areas:detail": (lambda o: {"code": VILLAGE_A}, ["get"]),
    "accounts:user_detail": (lambda o: {"pk": o["user"].pk}, ["get"]),
    "accounts:user_edit": (lambda o: {"pk": o["user"].pk}, ["get", "post"]),
    "accounts:user_set_active": (lambda o: {"pk": o["user"].pk}, ["post"]),
    "accounts:user_reset_password": (lambda o: {"pk": o["user"].pk}, ["post"]),
    "accounts:user_reveal_phone": (lambda o: {"pk": o["user"].pk}, ["post"]),
    "audit:detail": (lambda o: {"pk": o["event"].pk}, ["get"]),
    "area-detail": (lambda o: {"code": TOWNSHIP_A}, ["get"]),
    "area-children": (lambda o: {"code": TOWNSHIP_A}, ["get"]),
    "user-detail": (lambda o: {"pk": o["user"].pk}, ["get", "patch"]),
    "audit-event-detail": (lambda o: {"pk": o["event"].pk}, ["get"]),
    "person-detail": (lambda o: {"pk": o["person"].pk}, ["get", "patch"]),
    "household-detail": (lambda o: {"pk": o["person"].household_id}, ["get", "patch"]),
    "registry:household_edit": (lambda o: {"pk": o["person"].household_id}, ["get", "post"]),
    "registry:person_detail": (lambda o: {"pk": o["person"].pk}, ["get"]),
    "registry:person_edit": (lambda o: {"pk": o["person"].pk}, ["get", "post"]),
    "registry:person_reveal": (lambda o: {"pk": o["person"].pk, "field": "id_number"}, ["post"]),
    "registry:household_detail": (lambda o: {"pk": o["person"].household_id}, ["get"]),
    "registry:import_detail": (lambda o: {"pk": o["batch"].pk}, ["get"]),
    "registry:import_report": (lambda o: {"pk": o["batch"].pk}, ["get"]),
    "registry:import_resume": (lambda o: {"pk": o["batch"].pk}, ["post"]),
}
# Lists and searches: county A's marker must appear for county A and never for county B.
LIST_VIEWS = {
    "dashboard:home": "",
    "areas:search": "?q=土地",
    "areas:pick": "?q=土地",
    "accounts:user_list": "",
    "audit:list": "",
    "area-list": "?q=土地",
    "user-list": "",
    "audit-event-list": "",
    "person-list": "?q=lcs",
    "household-list": "",
    "registry:person_list": "",
    "registry:household_list": "",
    "registry:person_export": "?format=csv",
    "registry:import_list": "",
    "registry:window_check": "",
}
# Path arguments of own-or-public views that take some (tests that request every URL use them).
URL_KWARGS: dict[str, dict] = {}
# Views about the user themself, or public ones (login, schema, docs): no area data to leak.
OWN_OR_PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "accounts:profile",
    "accounts:password_change",
    "accounts:token_issue",
    "accounts:token_revoke",
    "accounts:user_create",
    "registry:person_create",
    "registry:import_new",
    "areas:index",
    "api-token",
    "api-me",
    "api-schema",
    "api-docs",
    "api-redoc",
    "api-root",
}


A_MARKERS = {"u_village_a", "土地村", "marker-event-A", "u_township_a", "龙潭镇", "龙春生", "433124102201"}


def _app_case_modules():
    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bangfu."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.scope_cases"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.scope_cases" and error.name != f"{config.name}.tests":
                raise
    return modules


APP_CASES = _app_case_modules()
for _cases in APP_CASES:
    OBJECT_VIEWS.update(getattr(_cases, "OBJECT_VIEWS", {}))
    LIST_VIEWS.update(getattr(_cases, "LIST_VIEWS", {}))
    OWN_OR_PUBLIC |= set(getattr(_cases, "OWN_OR_PUBLIC", ()))
    URL_KWARGS.update(getattr(_cases, "URL_KWARGS", {}))
    A_MARKERS |= set(getattr(_cases, "A_MARKERS", ()))


def all_url_names(resolver=None, prefix=""):
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= all_url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_url_is_classified():
    unclassified = (
        {n for n in all_url_names() if not n.endswith("-format")}
        - set(OBJECT_VIEWS)
        - set(LIST_VIEWS)
        - OWN_OR_PUBLIC
    )
    assert not unclassified, f"add these views to the area-scope tests: {sorted(unclassified)}"


@pytest.fixture
def county_a_objects(users, areas):
    target = users["village_a"]
    event = record(Action.UPDATE, actor=users["county_a"], obj=target, message="marker-event-A")
    person = registered_person(users["county_a"])
    objects = {"user": target, "event": event, "person": person, **registry_activity(target)}
    for cases in APP_CASES:
        if hasattr(cases, "objects"):
            objects.update(cases.objects(users, objects))
    return objects


def registered_person(actor):
    """龙春生 of 土地村 (county A), registered through the same validation as an import."""
    from bangfu.registry.actions import save_person
    from bangfu.registry.importer import area_lookup
    from bangfu.registry.rows import clean_row
    from bangfu.registry.tests.conftest import HEAD_ID, person

    record_, errors = clean_row(person("H1", "龙春生", HEAD_ID, birth="1975-03-04"), area_lookup(actor.area))
    assert not errors
    return save_person(actor, record_)


def registry_activity(village_user):
    """土地村's clerk imports a file with an error row (a batch with a report), then checks an ID number."""
    import tempfile
    from pathlib import Path

    from bangfu.registry.actions import create_import_batch, run_registry_import, window_check
    from bangfu.registry.tests.conftest import HEAD_ID, messy_rows, write_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(Path(tmp) / "名单.xlsx", [row for row, _ in messy_rows()[:4]])
        batch = run_registry_import(create_import_batch(area=village_user.area, user=village_user, path=path))
    assert batch.report
    window_check(village_user, HEAD_ID)
    return {"batch": batch}


def _request(client, method, url):
    if method == "get":
        return client.get(url)
    if method == "patch":
        return client.patch(url, data=json.dumps({"name": "篡改"}), content_type="application/json")
    return client.post(
        url, {"name": "篡改", "active": "0", "password": "Another-pass-2026", "area": COUNTY_A}
    )


@pytest.mark.parametrize("name", sorted(OBJECT_VIEWS))
def test_outsider_gets_404_and_changes_nothing(name, users, county_a_objects, client_for):
    kwargs_for, methods = OBJECT_VIEWS[name]
    url = reverse(name, kwargs=kwargs_for(county_a_objects))
    outsider = client_for(users["county_b"])
    target = county_a_objects["user"]
    before = User.objects.filter(pk=target.pk).values().get()
    events_before = AuditEvent.objects.count()
    for method in methods:
        response = _request(outsider, method, url)
        assert response.status_code == 404, (name, method, response.status_code)
    assert User.objects.filter(pk=target.pk).values().get() == before
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("name", sorted(OBJECT_VIEWS))
def test_own_county_user_can_open(name, users, county_a_objects, client_for):
    kwargs_for, methods = OBJECT_VIEWS[name]
    url = reverse(name, kwargs=kwargs_for(county_a_objects))
    response = client_for(users["county_a"]).get(url) if "get" in methods else None
    if response is not None:
        assert response.status_code == 200, (name, response.status_code)
    else:  # write-only endpoints: a valid request from the right county succeeds (200 or redirect)
        method = methods[0]
        response = _request(client_for(users["county_a"]), method, url)
        assert response.status_code in (200, 302), (name, response.status_code)


def _text(response) -> str:
    """The body of a page, or of a streamed download (exports)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig")


@pytest.mark.parametrize("name", sorted(LIST_VIEWS))
def test_lists_show_own_subtree_only(name, users, county_a_objects, client_for):
    url = reverse(name) + LIST_VIEWS[name]
    # County A's marker: the village user (土地村) and the marker event; county B has its own.
    record(Action.UPDATE, actor=users["county_b"], obj=users["county_b"], message="marker-event-B")
    seen_by_a = client_for(users["county_a"]).get(url, HTTP_HX_REQUEST="true" if "pick" in name else "")
    seen_by_b = client_for(users["county_b"]).get(url)
    assert seen_by_a.status_code == 200 and seen_by_b.status_code == 200
    a_text, b_text = _text(seen_by_a), _text(seen_by_b)
    a_markers = A_MARKERS
    b_markers = {"u_county_b", "marker-event-B", "凤凰"}
    assert any(m in a_text for m in a_markers), name
    assert not any(m in b_text for m in a_markers), name
    assert not any(m in a_text for m in b_markers - {"凤凰"}), name


def test_province_user_sees_both_counties(users, client_for):
    text = client_for(users["province"]).get(reverse("accounts:user_list")).content.decode()
    assert "u_county_a" in text and "u_county_b" in text and "u_village_a" in text


def test_township_user_cannot_see_county_level_user(users, client_for):
    response = client_for(users["township_a"]).get(
        reverse("accounts:user_detail", kwargs={"pk": users["county_a"].pk})
    )
    assert response.status_code == 404
