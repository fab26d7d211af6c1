"""The published API schema (/api/v1/schema/, drf-spectacular) says what the API answers: real responses
— lists, details, actions, and the errors (400, 401, 403, 404) — are validated against it with jsonschema,
status codes included; and the schema builds without a single warning.

The world is the area-scope test's (core/tests/test_area_scope_everywhere.py): every API route is asked
as county A's staff (its records, then a record that does not exist, a page past the end, a body or a
filter that is wrong), as an enterprise account (403) and anonymously (401).
"""

import copy
import json
import re
import subprocess
import sys

import jsonschema
from django.test import Client

from bangfu.core.tests.test_area_scope_everywhere import county_a_objects  # noqa: F401
from bangfu.core.tests.test_no_server_errors import (
    _enterprise_user,
    _path,
    _patterns,
    _template,
    _valid_kwargs,
)


def _json_schema(node):
    """OpenAPI 3.0's dialect as JSON Schema: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


class Published:
    """The schema as served, and the check of one response against it."""

    def __init__(self, client):
        response = client.get("/api/v1/schema/", {"format": "json"})
        assert response.status_code == 200
        self.schema = json.loads(response.content)
        self.components = _json_schema(self.schema["components"])
        self.paths = sorted(
            (
                (re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(p)) + "$"), p)
                for p in self.schema["paths"]
            ),
            key=lambda pair: pair[1].count("{"),
        )
        self.problems: list[str] = []
        self.checked = 0

    def check(self, method: str, url: str, response) -> None:
        self.checked += 1
        path = url.split("?")[0]
        template = next((p for regex, p in self.paths if regex.match(path)), None)
        where = f"{method.upper()} {url} → {response.status_code}"
        if template is None:
            self.problems.append(f"{where}: no path of the schema")
            return
        operation = self.schema["paths"][template].get(method)
        if operation is None:
            if response.status_code != 405:
                self.problems.append(f"{where}: the schema has no {method.upper()} for {template}")
            return
        documented = operation["responses"].get(str(response.status_code))
        if documented is None:
            self.problems.append(f"{where}: status not documented (has {sorted(operation['responses'])})")
            return
        body = response.content
        if not body:
            return
        content = documented.get("content", {}).get("application/json")
        if content is None:
            self.problems.append(f"{where}: a body the schema does not describe")
            return
        schema = {**_json_schema(copy.deepcopy(content["schema"])), "components": self.components}
        for error in jsonschema.Draft202012Validator(schema).iter_errors(json.loads(body)):
            at = "/".join(str(p) for p in error.absolute_path)
            self.problems.append(f"{where}: at {at or 'top'}: {error.message[:200]}")


# The schema itself, its two viewers and the router's index describe the API rather than belong to it.
SERVED_AROUND = {"api-schema", "api-docs", "api-redoc", "api-root"}


def _api_routes(objects):
    """Each router route and extra view under /api/v1/ with the world's kwargs (format suffixes aside)."""
    for pieces, name, _callback in _patterns():
        template = _template(pieces)
        if not template.startswith("/api/v1/") or "{format}" in template or name in SERVED_AROUND:
            continue
        params = re.findall(r"\{(\w+)\}", template)
        valid = _valid_kwargs(name, params, objects)
        yield name, template, params, valid


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_api_response_is_what_the_schema_says(users, county_a_objects):  # noqa: F811
    staff, anonymous = _client(users["county_a"]), _client()
    enterprise = _client(_enterprise_user(county_a_objects))
    published = Published(staff)

    def ask(client, method, url, data=None):
        if method == "get":
            response = client.get(url, data or {})
        else:
            payload = json.dumps(data or {})
            response = getattr(client, method)(url, payload, content_type="application/json")
        published.check(method, url if method != "get" or not data else f"{url}?…", response)
        return response

    for _name, template, params, valid in _api_routes(county_a_objects):
        url = _path(template, valid)
        methods = [
            m
            for m in ("get", "post", "patch")
            if published.schema["paths"].get(_openapi(template), {}).get(m)
        ]
        for method in methods or ["get"]:
            ask(staff, method, url)  # the record, the list, or what a body without its fields gets
            ask(anonymous, method, url)
            ask(enterprise, method, url)
            if params:
                ask(staff, method, _path(template, {**valid, params[0]: "0"}))  # no such record
        if "get" in methods and not params:
            ask(staff, "get", url, {"page": "99999"})  # a page past the end
            for parameter in published.schema["paths"][_openapi(template)]["get"].get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] not in ("page", "search", "q"):
                    ask(staff, "get", url, {parameter["name"]: "¹"})
    assert published.checked > 100
    assert published.problems == [], f"{len(published.problems)} of {published.checked}:\n" + "\n".join(
        published.problems
    )


def _openapi(template: str) -> str:
    """The schema's name of a route: DRF's `{pk}` is `{id}` there (the model's primary key)."""
    return template.replace("{pk}", "{id}")


def test_the_schema_builds_without_a_warning(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bangfu",
            "spectacular",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Warning" not in result.stderr, result.stderr[-3000:]


def test_a_read_only_choice_stored_blank_may_be_blank_in_the_schema(db):
    # A job without 性别要求 answers sex_required: "" (DRF drops allow_blank from read-only fields).
    schema = json.loads(Client().get("/api/v1/schema/", {"format": "json"}).content)
    field = schema["components"]["schemas"]["Job"]["properties"]["sex_required"]
    refs = [part["$ref"].rsplit("/", 1)[1] for part in field.get("oneOf", field.get("allOf", []))]
    allowed = {v for name in refs for v in schema["components"]["schemas"][name]["enum"]}
    assert allowed == {"", "男", "女"}
