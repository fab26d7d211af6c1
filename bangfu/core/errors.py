"""Error pages: Chinese HTML for pages, Chinese JSON for the API."""

from django.http import JsonResponse
from django.shortcuts import render

# The API's answer when a request with the browser session lacks the CSRF token (DRF's own is English).
API_CSRF_MESSAGE = (
    "安全校验未通过：用浏览器登录状态调用接口时，须在 X-CSRFToken 请求头中带上页面的安全令牌；"
    "脚本和其他系统请使用接口令牌（Authorization: Token …）。"
)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    message = str(exception) if isinstance(exception, BadInput) else "请求的格式不正确，请返回重试。"
    if _is_api(request):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"exception": message}, status=400)


class BadInput(Exception):
    """Input no view can take (its message, in Chinese, is the answer)."""


NUL_MESSAGE = "请求中含有空字符（NUL），无法处理；请删除后重试。"


class RejectNulMiddleware:
    """A query string or form field with a NUL character is a 400 before any view reads it: PostgreSQL
    refuses NUL in text (a server error in every view that searches with the raw value), SQLite keeps it.
    Uploaded files are not checked; only what is typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (
            request.content_type == "application/x-www-form-urlencoded" and _has_nul(request.POST)
        ):
            return bad_request(request, BadInput(NUL_MESSAGE))
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "未找到：不存在或不在您的管辖区域内。"}, status=404)
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有执行此操作的权限。"
    if _is_api(request):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "403.html", {"exception": message}, status=403)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "服务器内部错误，已记录，请稍后重试。"}, status=500)
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return JsonResponse({"detail": API_CSRF_MESSAGE}, status=403)
    return render(request, "csrf_failure.html", status=403)
