"""村级离线工作 pages: the app shell the phone installs, its manifest and service worker, the list the
phone keeps (JSON) and the sync of what it recorded offline (JSON, session and CSRF)."""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from django.http import HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from bangfu.core.access import NO_AREA_MESSAGE, is_area_staff, staff_required
from bangfu.field import actions
from bangfu.field.models import Entry
from bangfu.field.roster import roster

MAX_ENTRIES = 100  # entries per sync request; the phone sends in batches of 50
# What the service worker keeps for the shell to start without a signal (no personal data among them).
SHELL_ASSETS = ["bangfu/field/field.css", "bangfu/field/field.js", "bangfu/field/icon-192.png"]


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def json_staff(view):
    """The JSON endpoints answer the phone's script in JSON: 401 without a session, 403 without an area."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            body = {"error": "登录已过期，请重新登录。", "login": reverse("accounts:login")}
            return _json(body, status=401)
        if not is_area_staff(request.user):
            return _json({"error": NO_AREA_MESSAGE}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
@require_GET
def app(request):
    """The app shell: no personal data, so that the service worker may keep it for offline starts."""
    return render(request, "field/app.html")


@require_GET
def manifest(request):
    body = {
        "name": "帮扶 · 村级离线工作",
        "short_name": "离线工作",
        "lang": "zh-CN",
        "start_url": reverse("field:app"),
        "scope": reverse("field:app"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("bangfu/field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("bangfu/field/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = _json(body)
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request):
    """The worker, with the shell's asset URLs (hashed names) written in: a new release is a new worker."""
    assets = [reverse("field:app"), reverse("field:manifest"), *(static(name) for name in SHELL_ASSETS)]
    release = hashlib.sha256(json.dumps(assets).encode()).hexdigest()[:12]
    response = render(
        request,
        "field/sw.js",
        {"assets_json": json.dumps(assets), "release": release, "people_url": reverse("field:people")},
        content_type="application/javascript; charset=utf-8",
    )
    return response


@gzip_page
@json_staff
@require_GET
def people(request):
    """The laborers the phone keeps for offline work (masked), compressed: the page's largest download on a
    weak signal. The CSRF token travels in a header, outside the compressed body (BREACH)."""
    data = roster(request.user)
    data["fetched_at"] = timezone.now().isoformat()
    response = _json(data)
    response["X-CSRFToken"] = get_token(request)
    return response


@json_staff
def sync(request):
    """GET: who is logged in, a fresh CSRF token and the entries received lately. POST: apply entries."""
    user = request.user
    if request.method == "GET":
        recent = Entry.objects.for_user(user).filter(user=user).select_related("person")[:100]
        return _json(
            {
                "user": user.pk,
                "csrf": get_token(request),
                "entries": [
                    {**e.answer(), "kind": e.kind, "person": getattr(e.person, "name", "")} for e in recent
                ],
            }
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return _json({"error": "请求格式不正确。"}, status=400)
    items = body.get("entries") if isinstance(body, dict) else None
    if not isinstance(items, list) or len(items) > MAX_ENTRIES:
        return _json({"error": f"每次最多发送 {MAX_ENTRIES} 条记录。"}, status=400)
    if body.get("user") not in (None, user.pk):
        # Entries recorded under another login on this phone are never applied as this user's.
        return _json({"error": "这些记录不是当前登录账号录入的，未发送。"}, status=409)
    return _json({"results": actions.receive_all(user, items)})
