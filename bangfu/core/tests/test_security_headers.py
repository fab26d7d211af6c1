"""Pages with personal data are not stored by browsers or proxies, and run nothing but our own files: a
strict Content-Security-Policy that the templates keep to (no inline script, handler, style or javascript:
URL anywhere)."""

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

TEMPLATES = Path(__file__).resolve().parents[2]
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"  # an inline script
    r"|\son[a-z]+\s*="  # an event handler attribute
    r"|\sstyle\s*="  # a style attribute
    r"|<style\b"  # a style element
    r"|javascript:",
    re.IGNORECASE,
)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


def test_no_template_has_inline_code_or_styles():
    offenders = {
        str(path.relative_to(TEMPLATES)): INLINE.findall(path.read_text(encoding="utf-8"))
        for path in TEMPLATES.rglob("*.html")
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_pages_fragments_and_api_are_not_stored(users, client_for):
    c = client_for(users["county_a"])
    token = Token.objects.create(user=users["county_b"])
    responses = [
        c.get(reverse("dashboard:home")),
        c.get(reverse("registry:person_list")),
        c.get(reverse("notices:badge"), headers={"HX-Request": "true"}),
        c.get(reverse("api-me")),
        Client(HTTP_AUTHORIZATION=f"Token {token.key}").get(reverse("area-list")),
        Client().get(reverse("accounts:login")),
    ]
    for response in responses:
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_pages_carry_a_strict_content_security_policy(users, client_for):
    response = client_for(users["county_a"]).get(reverse("dashboard:home"))
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in v or "*" in v or "http" in v for vs in directives.values() for v in vs)


def test_the_api_docs_relax_styles_only(users, client_for):
    response = client_for(users["county_a"]).get(reverse("api-docs"))
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"] and "'unsafe-inline'" in directives["style-src"]
    assert "<script>" not in response.content.decode()  # Swagger UI starts from a file of its own
