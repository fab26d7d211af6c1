"""Data comparison API: runs and findings of the user's subtree (read), and accepting or rejecting a
finding. ID numbers and phones in findings are always masked here, health data (健康状况, 残疾) hidden;
whole values go out only by the audited pages and exports."""

from django.db.models import Count, Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from bangfu.compare import actions
from bangfu.compare.filters import FindingFilter
from bangfu.compare.models import ComparisonRun, FillPerson, Finding, identity
from bangfu.compare.rowsfile import covered_rows
from bangfu.core.api import ScopedReadOnlyViewSet
from bangfu.core.idnumber import mask_id, mask_phone
from bangfu.registry.models import Person

HIDDEN = "******"
HEALTH = ("健康状况", "残疾类别", "残疾等级", "health", "disability_category", "disability_grade")
MASKS = {"证件号码": mask_id, "联系电话": mask_phone, **dict.fromkeys(HEALTH, lambda value: HIDDEN)}


def _masked(values):
    if isinstance(values, list):
        return [_masked(v) for v in values]
    if not isinstance(values, dict):
        return values
    return {
        k: (MASKS[k](v) if k in MASKS and isinstance(v, str) and v else _masked(v)) for k, v in values.items()
    }


class RunSerializer(serializers.ModelSerializer):
    source_type_name = serializers.CharField(source="get_source_type_display", read_only=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    user = serializers.CharField(source="user.username", read_only=True, default="")

    class Meta:
        model = ComparisonRun
        fields = [
            "id",
            "source_type",
            "source_type_name",
            "area",
            "user",
            "original_name",
            "threshold",
            "auto_apply",
            "status",
            "status_name",
            "phase",
            "percent",
            "total_rows",
            "error_rows",
            "counts",
            "message",
            "created_at",
            "started_at",
            "finished_at",
        ]


class FindingListSerializer(serializers.ListSerializer):
    """A page of findings reads the source rows of all of them at once (rowsfile.covered_rows), and counts
    the people of its fills in one query."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        self.child.context["source_rows"] = covered_rows(items)
        self.child.context["fill_people"] = fill_people_counts([f.pk for f in items if f.is_fill])
        self.child.context["candidates"] = candidate_people(items)
        return super().to_representation(items)


def fill_people_counts(finding_ids: list[int]) -> dict[int, dict]:
    """{fill finding id: {"total": its people, "excluded": those left out}}."""
    if not finding_ids:
        return {}
    rows = (
        FillPerson.objects.filter(finding_id__in=finding_ids)
        .values("finding_id")
        .annotate(total=Count("person_id"), excluded=Count("person_id", filter=Q(excluded=True)))
        .order_by()
    )
    return {row["finding_id"]: {"total": row["total"], "excluded": row["excluded"]} for row in rows}


def candidate_people(findings) -> dict[int, Person]:
    """The registry people ambiguous findings name as candidates, by id, in one query."""
    ids = {c["person"] for f in findings for c in f.candidates}
    return Person.objects.in_bulk(list(ids)) if ids else {}


class FindingSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)
    change_name = serializers.CharField(source="get_change_display", read_only=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default="")
    # Who the person is comes from the person; the run keeps only what it compared (Finding.registry_shown).
    registry = serializers.JSONField(source="registry_shown", read_only=True)
    source = serializers.SerializerMethodField(help_text="来源记录：一行为 {列名: 值}，多行为 {rows: [...]}")
    people = serializers.SerializerMethodField(
        help_text="名册补录（按村）的人数：{total: 人数, excluded: 审核时排除的人数}；其他类型为 null"
    )
    differs = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="与来源不一致的项（名册一侧的名称，如 姓名、出生日期、养老保险参保状态）",
    )
    candidates = serializers.SerializerMethodField(
        help_text="待核实（多人相符）：同样相符的名册人员并列，按概率从高到低："
        "[{person: 人员ID, probability: 概率, registry: {姓名, 证件号码, …}}]；其他类型为空列表"
    )

    class Meta:
        model = Finding
        list_serializer_class = FindingListSerializer
        fields = [
            "id",
            "run",
            "kind",
            "kind_name",
            "change",
            "change_name",
            "status",
            "status_name",
            "area",
            "person",
            "row_no",
            "name",
            "method",
            "probability",
            "source",
            "registry",
            "proposal",
            "people",
            "differs",
            "candidates",
            "summary",
            "automatic",
            "decided_by",
            "decided_at",
            "outcome",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_source(self, instance) -> dict:
        rows = self.context.get("source_rows", {}).get(instance.pk)
        if rows is None:
            rows = instance.source_rows()
        return rows[0] if len(rows) == 1 else {"rows": rows}

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"total": {"type": "integer"}, "excluded": {"type": "integer"}},
        }
    )
    def get_people(self, instance) -> dict | None:
        if not instance.is_fill:
            return None
        counts = self.context.get("fill_people")
        if counts is None or instance.pk not in counts:
            counts = fill_people_counts([instance.pk])
        return counts.get(instance.pk, {"total": 0, "excluded": 0})

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "person": {"type": "integer"},
                    "probability": {"type": "number"},
                    "registry": {"type": "object"},
                },
            },
        }
    )
    def get_candidates(self, instance) -> list:
        if not instance.candidates:
            return []
        people = self.context.get("candidates")
        if people is None:
            people = candidate_people([instance])
        return [
            {
                "person": c["person"],
                "probability": c["probability"],
                "registry": _masked(identity(people[c["person"]])),
            }
            for c in instance.candidates
            if c["person"] in people
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["source"], data["registry"] = _masked(data["source"]), _masked(data["registry"])
        data["proposal"], data["summary"] = _masked(data["proposal"]), instance.summary_public
        return data


class FillPersonSerializer(serializers.ModelSerializer):
    """A person of a fill finding; the ID number masked; `values` the fill's proposal for them."""

    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.SerializerMethodField()
    values = serializers.SerializerMethodField()

    class Meta:
        model = FillPerson
        fields = ["person", "row_no", "name", "id_number", "values", "excluded", "outcome"]

    def get_id_number(self, member) -> str:
        return mask_id(member.person.id_number)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_values(self, member) -> dict:
        return self.context["finding"].proposal.get("person", {})


class ExcludeSerializer(serializers.Serializer):
    people = serializers.ListField(child=serializers.IntegerField(), default=list, help_text="人员 id")
    excluded = serializers.BooleanField(default=True, help_text="true 排除；false 恢复")


class RejectSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="驳回理由")


@extend_schema_view(
    list=extend_schema(summary="辖区内的比对批次"), retrieve=extend_schema(summary="一个比对批次")
)
class ComparisonRunViewSet(ScopedReadOnlyViewSet):
    queryset = ComparisonRun.objects.all()
    serializer_class = RunSerializer

    def refine_queryset(self, queryset):
        return queryset.select_related("user").order_by("-created_at", "-id")


@extend_schema_view(
    list=extend_schema(summary="辖区内的比对结果"), retrieve=extend_schema(summary="一条比对结果")
)
class FindingViewSet(ScopedReadOnlyViewSet):
    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FindingFilter

    def refine_queryset(self, queryset):
        return queryset.select_related("decided_by", "person").order_by(*Finding._meta.ordering)

    @extend_schema(summary="接受：按建议修改名册", request=None, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None, format=None):
        finding = actions.accept(request.user, self.get_object())
        return Response(self.get_serializer(finding).data)

    @extend_schema(summary="名册补录的人员（按源行号）", responses=FillPersonSerializer(many=True))
    @action(detail=True, methods=["get"])
    def people(self, request, pk=None, format=None):
        finding = self.get_object()
        page = self.paginate_queryset(finding.people.select_related("person").order_by("row_no"))
        return self.get_paginated_response(
            FillPersonSerializer(page, many=True, context={"finding": finding}).data
        )

    @extend_schema(
        summary="名册补录：排除或恢复人员（接受前）", request=ExcludeSerializer, responses=FindingSerializer
    )
    @action(detail=True, methods=["post"])
    def exclude(self, request, pk=None, format=None):
        finding = self.get_object()  # outside the user's area: 404 before anything else
        body = ExcludeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.exclude_people(
            request.user, finding, body.validated_data["people"], excluded=body.validated_data["excluded"]
        )
        return Response(self.get_serializer(finding).data)

    @extend_schema(summary="驳回：名册不作修改", request=RejectSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None, format=None):
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        finding = actions.reject(request.user, self.get_object(), body.validated_data.get("note", ""))
        return Response(self.get_serializer(finding).data)
