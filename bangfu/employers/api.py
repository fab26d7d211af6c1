"""Employers API: the ledger of the user's subtree, filtered like the page; writes through actions."""

from django.core.exceptions import PermissionDenied
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from bangfu.areas.models import Area, normalize_code
from bangfu.core.api import ScopedViewSetMixin
from bangfu.employers import actions
from bangfu.employers.creditcode import CreditCodeError, parse_credit_code
from bangfu.employers.filters import EmployerFilter
from bangfu.employers.models import Employer
from bangfu.registry.rows import clean_phone

FIELDS = [
    "id",
    "credit_code",
    "name",
    "kind",
    "area",
    "address",
    "industry",
    "contact_name",
    "contact_phone",
    "is_active",
    "note",
    "created_at",
    "updated_at",
]


class AreaCodeField(serializers.CharField):
    def to_internal_value(self, data):
        try:
            area = Area.objects.resolve(normalize_code(str(data)))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        if area is None:
            raise serializers.ValidationError(f"区划代码“{data}”不存在。")
        return area

    def to_representation(self, value):
        return value.code if isinstance(value, Area) else value


class EmployerSerializer(serializers.ModelSerializer):
    """Contact phones are masked: the ledger is read by every member of staff of the area."""

    area = AreaCodeField(help_text="所在地区划代码（须在您的管辖区域内）")

    class Meta:
        model = Employer
        fields = FIELDS
        read_only_fields = ["id", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["contact_phone"] = instance.masked_contact_phone
        return data

    def validate_credit_code(self, value):
        try:
            return parse_credit_code(value)
        except CreditCodeError as exc:
            raise serializers.ValidationError(f"统一社会信用代码{exc}") from exc

    def validate_contact_phone(self, value):
        if not value:
            return ""
        try:
            return clean_phone(value)
        except ValueError as exc:
            raise serializers.ValidationError("应为 11 位手机号码或带区号的固定电话。") from exc

    def validate(self, data):
        # A unique-together check would leak other areas' employers by name; the action reports it.
        return data

    def get_validators(self):
        return []


@extend_schema_view(
    list=extend_schema(summary="辖区内登记的用人单位"),
    retrieve=extend_schema(summary="一个用人单位"),
    create=extend_schema(summary="登记用人单位"),
    partial_update=extend_schema(summary="修改用人单位（只改提交的字段）"),
)
class EmployerViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Employer.objects.all()
    serializer_class = EmployerSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EmployerFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def refine_queryset(self, queryset):
        return queryset.select_related("area").order_by("area_id", "name", "id")

    def _save(self, serializer, employer):
        for name, value in serializer.validated_data.items():
            setattr(employer, name, value)
        try:
            return actions.save_employer(self.request.user, employer)
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except Exception as exc:
            if hasattr(exc, "message_dict"):
                raise exceptions.ValidationError(exc.message_dict) from exc
            raise

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employer = self._save(serializer, Employer())
        return Response(self.get_serializer(employer).data, status=201)

    def update(self, request, *args, **kwargs):
        employer = self.get_object()
        serializer = self.get_serializer(employer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        employer = self._save(serializer, employer)
        return Response(self.get_serializer(employer).data)
