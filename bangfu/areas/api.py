"""Areas API: read-only, limited to the user's subtree."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from bangfu.areas.models import Area, normalize_code
from bangfu.core.api import ScopedReadOnlyViewSet


class AreaSerializer(serializers.ModelSerializer):
    short_code = serializers.CharField(read_only=True)
    level_name = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Area
        fields = ["code", "short_code", "name", "full_name", "level", "level_name", "parent", "is_current"]


@extend_schema_view(
    list=extend_schema(
        summary="辖区内的行政区划",
        parameters=[
            OpenApiParameter("parent", str, description="上级区划代码，只列其直接下级"),
            OpenApiParameter("level", int, description="级别：1 省 2 市 3 县 4 乡 5 村"),
            OpenApiParameter("q", str, description="名称包含或代码前缀"),
        ],
    ),
    retrieve=extend_schema(summary="一个区域（2–12 位代码均可）"),
)
class AreaViewSet(ScopedReadOnlyViewSet):
    queryset = Area.objects.all()
    serializer_class = AreaSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]+"

    def refine_queryset(self, queryset):
        params = self.request.query_params
        if self.action != "list":
            return queryset
        if parent := params.get("parent"):
            queryset = queryset.filter(parent_id=self._code(parent))
        if level := params.get("level"):
            if level not in {"1", "2", "3", "4", "5"}:
                raise serializers.ValidationError({"level": "级别应为 1 至 5。"})
            queryset = queryset.filter(level=int(level))
        if q := params.get("q"):
            queryset = queryset.search(q)
        return queryset.order_by("code")

    def _code(self, raw: str) -> str:
        try:
            return normalize_code(raw)
        except ValueError as exc:
            raise serializers.ValidationError({"code": str(exc)}) from exc

    def get_object(self):
        try:
            code = normalize_code(self.kwargs["code"])
        except ValueError as exc:
            raise Http404 from exc
        self.kwargs["code"] = code
        return super().get_object()

    @extend_schema(summary="直接下级区域", responses=AreaSerializer(many=True))
    @action(detail=True)
    def children(self, request, code=None, format=None):
        area = self.get_object()
        children = self.get_queryset().filter(parent=area).order_by("code")
        page = self.paginate_queryset(children)
        return (
            self.get_paginated_response(AreaSerializer(page, many=True).data)
            if page is not None
            else Response(AreaSerializer(children, many=True).data)
        )
