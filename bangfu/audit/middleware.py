"""Sets the audit origin (address, channel) for the duration of each request."""

from bangfu.audit.context import Origin, client_ip, reset_origin, set_origin


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "接口" if request.path.startswith("/api/") else "网页"
        token = set_origin(Origin(ip=client_ip(request), channel=channel))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)
