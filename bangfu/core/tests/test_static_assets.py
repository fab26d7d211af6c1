"""Intranets have no CDN: every asset a page loads is served by the platform itself."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2]
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_no_template_loads_anything_from_outside():
    offenders = [
        str(path) for path in TEMPLATES.rglob("*.html") if EXTERNAL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_vendored_assets_exist():
    for name in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
        "bangfu/site.css",
    ):
        assert finders.find(name), name


def test_pages_reference_only_local_static_files(users, client_for):
    html = client_for(users["county_a"]).get(reverse("dashboard:home")).content.decode()
    assert not EXTERNAL.search(html)
    assert "/static/vendor/echarts/" in html and "/static/vendor/htmx/" in html
