"""Referral API: the referrals of the user's subtree (same filters as the page) and their steps; the service
norms (服务达标) by area, as the page shows them."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from bangfu.core.api import ScopedViewSetMixin
from bangfu.core.schema import ErrorSerializer
from bangfu.referrals import actions, norms
from bangfu.referrals.filters import ReferralFilter
from bangfu.referrals.models import Referral, ReferralStep, Status, WithdrawReason
from bangfu.referrals.views import norm_area, norm_year


class StepSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", default="", read_only=True)

    class Meta:
        model = ReferralStep
        fields = ["from_status", "to_status", "on", "at", "by", "channel", "reason", "note"]


class ReferralSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    person_id_number = serializers.CharField(source="person.masked_id", read_only=True, help_text="脱敏")
    village_code = serializers.CharField(source="area_id", read_only=True)
    job_number = serializers.CharField(source="job.number", read_only=True)
    job_title = serializers.CharField(source="job.title", read_only=True)
    employer = serializers.CharField(source="job.employer.name", read_only=True)
    credit_code = serializers.CharField(source="job.employer.credit_code", read_only=True)
    next_statuses = serializers.ListField(child=serializers.CharField(), read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id", "person", "person_name", "person_id_number", "village_code", "job", "job_number",
            "job_title",
            "employer", "credit_code", "status", "next_statuses", "score", "reasons", "auto", "fair",
            "employment", "created_at", "closed_at", "steps",
        ]  # fmt: skip
        read_only_fields = fields


class StepRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, help_text="新状态")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    on = serializers.DateField(required=False, allow_null=True, help_text="这一步发生的日期，默认今天")
    started_on = serializers.DateField(
        required=False, allow_null=True, help_text="录用时的入职日期，默认今天"
    )
    interview_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="面试时间（改为面试时必填）"
    )
    online = serializers.BooleanField(
        required=False,
        default=False,
        help_text="线上视频面试（生成会议链接）；未配置视频会议服务时不可用（400）",
    )
    venue = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="现场面试地点")
    monthly_wage = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=999999,
        help_text="实际月工资（元，录用时填写）；不填则就业记录的月工资为空（不详），不取岗位工资下限",
    )
    reason = serializers.ChoiceField(
        choices=WithdrawReason.choices,
        required=False,
        allow_blank=True,
        help_text="放弃原因（改为放弃时必填）",
    )


@extend_schema_view(
    list=extend_schema(summary="辖区内劳动力的推荐（按劳动力所在区域限定）"),
    retrieve=extend_schema(summary="一条推荐及其进展"),
)
class ReferralViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Referral.objects.all()
    serializer_class = ReferralSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReferralFilter

    def refine_queryset(self, queryset):
        return (
            queryset.select_related("person", "job", "job__employer")
            .prefetch_related("steps__by")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        methods=["GET"],
        summary="当前状态和可改为的状态",
        responses=inline_serializer(
            "ReferralState",
            {
                "status": serializers.ChoiceField(Status.choices),
                "next_statuses": serializers.ListField(child=serializers.ChoiceField(Status.choices)),
            },
        ),
    )
    @extend_schema(
        methods=["POST"],
        summary="推进推荐状态（只允许规定的状态变化）",
        request=StepRequestSerializer,
        responses=ReferralSerializer,
    )
    @action(detail=True, methods=["get", "post"])
    def step(self, request, pk=None, format=None):
        referral = self.get_object()
        if request.method == "GET":
            return Response({"status": referral.status, "next_statuses": list(referral.next_statuses)})
        data = StepRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            values = data.validated_data
            actions.advance(
                request.user, referral, values["status"], note=values.get("note", ""), on=values.get("on"),
                started_on=values.get("started_on"), interview_at=values.get("interview_at"),
                online=values.get("online", False), venue=values.get("venue", ""),
                reason=values.get("reason", ""), monthly_wage=values.get("monthly_wage"),
            )  # fmt: skip
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"status": exc.messages}) from exc
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(ReferralSerializer(self.get_queryset().get(pk=referral.pk)).data)


class NormRowSerializer(serializers.Serializer):
    area_code = serializers.CharField(source="area.code", help_text="区划代码")
    area_name = serializers.CharField(source="area.name", help_text="区域")
    seekers = serializers.IntegerField(help_text="有就业意愿的未就业劳动力（求职劳动力）")
    offered = serializers.IntegerField(help_text="提供岗位次数达标的人数")
    complete = serializers.IntegerField(help_text="311 服务达标的人数")
    behind = serializers.IntegerField(help_text="未达标人数")
    rate = serializers.FloatField(
        allow_null=True,
        help_text="311 服务达标率（0–1）；没有求职劳动力的区域（0/0）为 null，既不是 1 也不是 0",
    )


class NormTableSerializer(serializers.Serializer):
    area_code = serializers.CharField(help_text="所查区域")
    year = serializers.IntegerField(help_text="年度")
    rows = NormRowSerializer(many=True, help_text="每个下级区域一行（没有下级时为该区域本身）")
    total = NormRowSerializer(help_text="合计")


class ServiceNormView(APIView):
    """服务达标 by area: the page's table (referrals/norms.py), for the user's area or one inside it."""

    @extend_schema(
        summary="服务达标：按下级区域统计求职劳动力、提供岗位达标、311 服务达标和达标率",
        parameters=[
            OpenApiParameter(
                "area", str, description="区划代码（默认本人所在区域；须在本人辖区内，否则 404）"
            ),
            OpenApiParameter("year", int, description="年度（默认今年）"),
            OpenApiParameter(
                "sort", str, enum=list(norms.SORTS), description="排序；没有求职劳动力的区域总在最后"
            ),
        ],
        responses={200: NormTableSerializer, 404: ErrorSerializer},
    )
    def get(self, request, format=None):
        area, year = norm_area(request), norm_year(request)
        rows, total, _ = norms.norm_table(area, year)
        sort = request.GET.get("sort") if request.GET.get("sort") in norms.SORTS else "code"
        data = {"area_code": area.code, "year": year, "rows": norms.sort_rows(rows, sort), "total": total}
        return Response(NormTableSerializer(data).data)
