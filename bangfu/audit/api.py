"""Audit API: read-only, limited to the user's subtree."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from bangfu.audit.models import AuditEvent
from bangfu.core.api import ScopedReadOnlyViewSet


class AuditEventSerializer(serializers.ModelSerializer):
    action_name = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "username",
            "ip",
            "channel",
            "action",
            "action_name",
            "object_type",
            "object_id",
            "object_repr",
            "area_code",
            "message",
            "before",
            "after",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="辖区内的审计事件",
        parameters=[
            OpenApiParameter("action", str, description="操作类型"),
            OpenApiParameter("user", str, description="登录名"),
        ],
    ),
    retrieve=extend_schema(summary="一条审计事件"),
)
class AuditEventViewSet(ScopedReadOnlyViewSet):
    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventSerializer

    def refine_queryset(self, queryset):
        params = self.request.query_params
        if action := params.get("action"):
            queryset = queryset.filter(action=action)
        if user := params.get("user"):
            queryset = queryset.filter(username=user)
        return queryset.order_by("-at", "-id")
