"""Jobs API. Lists and writes cover the jobs of the user's subtree (`for_user`); `GET /jobs/postings/`
lists open postings everywhere (`postings_for`), and a single open posting can be read from anywhere."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bangfu.core.api import ScopedViewSetMixin
from bangfu.employers.api import AreaCodeField
from bangfu.employers.models import Employer
from bangfu.jobs import actions
from bangfu.jobs.filters import JobFilter
from bangfu.jobs.models import Job, Occupation
from bangfu.jobs.occupations import default_index

WRITABLE = [
    "title",
    "openings",
    "wage_min",
    "wage_max",
    "age_min",
    "age_max",
    "sex_required",
    "education_min",
    "board_and_lodging",
    "skills_required",
    "deadline",
]


class JobSerializer(serializers.ModelSerializer):
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    credit_code = serializers.CharField(source="employer.credit_code", read_only=True)
    occupation_name = serializers.CharField(source="occupation.name", read_only=True, default="")
    area = serializers.CharField(source="area_id", read_only=True)
    expired = serializers.BooleanField(
        source="is_expired", read_only=True, help_text="已过期：未结束但已过截止日期，不再参与匹配"
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "employer",
            "employer_name",
            "credit_code",
            "number",
            "title",
            "occupation",
            "occupation_name",
            "occupation_inferred",
            "occupation_confidence",
            "openings",
            "openings_left",
            "area",
            *WRITABLE[2:],
            "suits_low_skill",
            "suits_low_skill_by_rule",
            "status",
            "expired",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class JobWriteSerializer(serializers.ModelSerializer):
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.none(), required=False)
    occupation = serializers.CharField(
        required=False, allow_blank=True, help_text="细类代码；不填则按岗位名称推断"
    )
    area = AreaCodeField(required=False, help_text="工作地点区划代码（6、9 或 12 位）")
    suits_low_skill = serializers.BooleanField(
        required=False, allow_null=True, help_text="不填或 null：按规则判定；true/false：人工设定"
    )

    class Meta:
        model = Job
        fields = ["employer", "number", "occupation", "area", "suits_low_skill", *WRITABLE]
        extra_kwargs = {"number": {"required": False}}

    def get_validators(self):
        return []  # (employer, number) uniqueness is checked by the action, within the user's scope

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["employer"].queryset = Employer.objects.for_user(request.user)

    def validate_occupation(self, value):
        value = (value or "").strip()
        if value and (
            value not in set(default_index().codes) or not Occupation.objects.filter(pk=value).exists()
        ):
            raise serializers.ValidationError("不是职业分类大典的细类代码（如 6-18-02-04）。")
        return value or None


@extend_schema_view(
    list=extend_schema(summary="工作地点在辖区内的岗位"),
    retrieve=extend_schema(summary="一个岗位（辖区内的，或任何地方招聘中的）"),
    create=extend_schema(summary="发布岗位", request=JobWriteSerializer),
    partial_update=extend_schema(summary="修改岗位（只改提交的字段）", request=JobWriteSerializer),
)
class JobViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Job.objects.all()
    serializer_class = JobSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = JobFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if self.action == "retrieve":
            jobs = Job.objects.for_user(user) | Job.objects.postings_for(user)
        elif self.action == "postings":
            jobs = Job.objects.postings_for(user).open_on(timezone.localdate())
        else:
            jobs = Job.objects.for_user(user)
        return jobs.select_related("employer", "occupation").order_by("-created_at", "-id")

    @extend_schema(
        summary="各地招聘中的岗位（可推荐本地劳动力）", responses=JobSerializer(many=True), filters=True
    )
    @action(detail=False, methods=["get"])
    def postings(self, request, format=None):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(JobSerializer(page, many=True).data)

    def _save(self, job, data, *, creating):
        has_occupation, occupation = "occupation" in data, data.pop("occupation", None)
        has_manual, manual = "suits_low_skill" in data, data.pop("suits_low_skill", None)
        for name, value in data.items():
            setattr(job, name, value)
        infer = False
        if occupation:
            job.occupation_id = occupation
        elif creating or has_occupation:  # not given on create, or cleared: infer from the title
            infer = True
        if not has_manual:  # keep how it was decided
            manual = None if job.suits_low_skill_by_rule else job.suits_low_skill
        try:
            return actions.save_job(self.request.user, job, manual_suitability=manual, infer=infer)
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc

    def create(self, request, *args, **kwargs):
        serializer = JobWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        missing = [f for f in ("employer", "number", "title", "openings", "area") if f not in data]
        if missing:
            raise exceptions.ValidationError({f: ["必填。"] for f in missing})
        job = self._save(Job(), data, creating=True)
        return Response(JobSerializer(job).data, status=201)

    def update(self, request, *args, **kwargs):
        job = self.get_object()
        serializer = JobWriteSerializer(
            job, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("employer", None)
        data.pop("number", None)
        job = self._save(job, data, creating=False)
        return Response(JobSerializer(job).data)
