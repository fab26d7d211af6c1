"""Nothing the platform serves from its database is kept by a browser or a proxy.

Every page, fragment, API answer and export may hold personal data (ID numbers, phones, health), and a
shared computer's back button or disk cache would otherwise keep it after logout: each dynamic response is
sent with `Cache-Control: no-store`. Static files never reach this middleware (WhiteNoise answers them
first, with its own long-lived caching)."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private, max-age=0
        return response


def clear_site_data(view):
    """For the logout: the browser drops what it kept of the site — its caches and its storage (IndexedDB,
    the offline app's service worker, localStorage) — so a phone handed on keeps nothing of the laborers.
    Browsers honour the header only over HTTPS (and on localhost)."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    return wrapper
