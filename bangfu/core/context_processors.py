"""Template context shared by every page."""

from django.conf import settings


def platform(request):
    return {
        "platform_name": "帮扶",
        "platform_title": "人社就业帮扶信息平台",
        "demo_mode": settings.BANGFU_DEMO,
    }
