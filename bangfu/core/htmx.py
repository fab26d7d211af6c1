"""htmx requests never receive a full page: a redirect meant for the browser becomes HX-Redirect.

An htmx request (a fragment: the menu's message badge, a progress block polling itself) that is
redirected, to the login page when the session has expired or to the password change a new account must
make first, would be followed by the browser's XMLHttpRequest and the whole page swapped into the fragment;
a page that contains the fragment again nests itself without end. So a redirect answering an htmx request
is turned into an empty 204 whose HX-Redirect header makes htmx load the target as a whole page — and into
nothing at all when the target is the page the user is already on, which would otherwise reload for ever.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponse
from django.shortcuts import resolve_url


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def current_page(request) -> str:
    """The path and query of the page the htmx request came from ("" when htmx did not say)."""
    parts = urlsplit(request.headers.get("HX-Current-URL", ""))
    if not parts.path.startswith("/"):
        return ""
    return urlunsplit(("", "", parts.path, parts.query, ""))


def full_page_redirect(request, url: str) -> HttpResponse:
    """An answer to an htmx request that sends the browser to `url` as a page (204: nothing is swapped)."""
    target = urlsplit(url)
    login = resolve_url(settings.LOGIN_URL)
    came_from = current_page(request)
    if target.path == login:
        # After logging in, come back to the page, not to the fragment that found the session gone.
        query = [(k, v) for k, v in parse_qsl(target.query) if k != REDIRECT_FIELD_NAME]
        if came_from:
            query.append((REDIRECT_FIELD_NAME, came_from))
        url = urlunsplit((target.scheme, target.netloc, target.path, urlencode(query), ""))
    response = HttpResponse(status=204)
    if urlsplit(came_from).path != target.path:
        response["HX-Redirect"] = url
    return response


class HtmxRedirectMiddleware:
    """Turns every redirect answering an htmx request into `full_page_redirect`.

    Placed after CommonMiddleware, so that its trailing-slash redirects (same fragment, other spelling)
    still reach htmx as plain redirects that the browser follows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_htmx(request) and 300 <= response.status_code < 400 and response.has_header("Location"):
            return full_page_redirect(request, response["Location"])
        return response
