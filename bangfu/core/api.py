"""API plumbing shared by every app: permissions, Chinese error bodies, the area-scoped viewset base."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, viewsets
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, with Chinese messages for the cases DRF leaves in English or generic."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到：不存在或不在您的管辖区域内。")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "没有权限执行此操作。")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "提交的数据有误，请按字段说明修改。", "errors": response.data}
    return response


class ScopedViewSetMixin:
    """Every API queryset starts from the model's `for_user`: outside the user's subtree is a 404.

    Subclasses set `queryset` (for the schema and the model) and may refine with `refine_queryset`.
    """

    def get_queryset(self):
        return self.refine_queryset(self.queryset.model.objects.for_user(self.request.user))

    def refine_queryset(self, queryset):
        return queryset


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
