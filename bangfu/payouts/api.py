"""补贴发放 API under /api/v1/: the payout lists of the user's subtree (filter by kind, period, status),
each list's lines (masked ID numbers; filter by result, `failed` for every failed check), building a list,
checking again and approving — the same actions and rights as the pages. Returning a list (with its
reason) and the bank file (full accounts, audited) are on the pages only."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bangfu.areas.models import Area
from bangfu.core.api import ScopedViewSetMixin
from bangfu.payouts import actions
from bangfu.payouts.models import Line, PayoutList, Result, Status


def _act(call):
    try:
        return call()
    except DjangoValidationError as exc:
        raise exceptions.ValidationError({"detail": exc.messages}) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc


class PayoutListSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = PayoutList
        fields = [
            "id", "kind", "item", "basis", "period", "area_code", "area_name", "status", "lines_count",
            "passed_count", "failed_count", "total", "built_at", "checked_at", "approved_at", "paid_at",
            "returned_at", "return_reason",
        ]  # fmt: skip
        read_only_fields = fields


class LineSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="masked_id", read_only=True, help_text="证件号码（脱敏）")

    class Meta:
        model = Line
        fields = [
            "id", "person", "employer", "id_number", "name", "area_code", "quantity", "amount", "result",
            "note", "ref",
        ]  # fmt: skip
        read_only_fields = fields


BuildSerializer = inline_serializer(
    "PayoutBuild",
    {
        "kind": serializers.CharField(help_text="补贴项目代码：welfare-post、transport、workshop-reward"),
        "area": serializers.CharField(help_text="区划代码"),
        "period": serializers.CharField(help_text="期间：YYYY-MM 或 YYYY"),
    },
)

# Approving and checking again need no fields; a refusal (the list's state, results changed) is a 400.
EmptySerializer = inline_serializer(
    "PayoutStep", {"note": serializers.CharField(required=False, help_text="备注（可不填，不保存）")}
)


class PayoutListViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """发放名单：本区域及下级的补贴发放名单；生成（并校验）、重新校验、审核（退回在网页上办理）。"""

    queryset = PayoutList.objects.all()
    serializer_class = PayoutListSerializer

    def refine_queryset(self, queryset):
        params = self.request.query_params
        if params.get("kind"):
            queryset = queryset.filter(kind=params["kind"])
        if params.get("period"):
            queryset = queryset.filter(period=params["period"])
        if params.get("status") in Status.values:
            queryset = queryset.filter(status=params["status"])
        return queryset.select_related("area").order_by("-built_at", "-id")

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, description="补贴项目代码"),
            OpenApiParameter("period", str, description="期间"),
            OpenApiParameter("status", str, enum=Status.values, description="状态"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=BuildSerializer, responses={201: PayoutListSerializer})
    def create(self, request, *args, **kwargs):
        data = request.data
        area = Area.objects.in_scope(request.user, str(data.get("area", "")))
        if area is None:
            raise exceptions.ValidationError({"area": ["区划代码不存在或不在您的管辖区域内。"]})
        built = _act(
            lambda: actions.build(request.user, str(data.get("kind", "")), area, str(data.get("period", "")))
        )
        return Response(PayoutListSerializer(built).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "result",
                str,
                description="校验结果：通过、已故、重复发放、一人多岗、不符合条件；failed 为全部未通过",
            )
        ],
        responses=LineSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def lines(self, request, pk=None, **kwargs):
        payout_list = self.get_object()
        lines = Line.objects.filter(payout_list=payout_list).order_by("id")
        result = request.query_params.get("result", "")
        if result == "failed":
            lines = lines.exclude(result=Result.PASSED)
        elif result in Result.values:
            lines = lines.filter(result=result)
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(LineSerializer(page, many=True).data)

    @extend_schema(request=EmptySerializer, responses=PayoutListSerializer)
    @action(detail=True, methods=["post"])
    def recheck(self, request, pk=None, **kwargs):
        done = _act(lambda: actions.recheck(request.user, self.get_object()))
        return Response(PayoutListSerializer(done).data)

    @extend_schema(request=EmptySerializer, responses=PayoutListSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, **kwargs):
        done = _act(lambda: actions.approve(request.user, self.get_object()))
        return Response(PayoutListSerializer(done).data)
