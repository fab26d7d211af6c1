"""Registry API: households and people, filtered by the same FilterSets as the pages, limited to the
user's subtree. Writes go through the import's row validation and `actions.save_person`."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from bangfu.audit.log import record
from bangfu.audit.models import Action
from bangfu.core.api import ScopedViewSetMixin
from bangfu.registry import actions, vocab
from bangfu.registry.filters import HouseholdFilter, PersonFilter
from bangfu.registry.importer import area_lookup
from bangfu.registry.models import Household, LaborAgeRule, Person
from bangfu.registry.rows import COLUMN_FIELDS, FIELD_COLUMNS, clean_row

HIDDEN = "******"
HEALTH_FIELDS = ("health", "disability_category", "disability_grade")


class PersonSerializer(serializers.ModelSerializer):
    """Read: ID number and phone masked, health and disability hidden, unless the user may see them (then
    the showing is audited)."""

    household_number = serializers.CharField(source="household.number", read_only=True)
    village_code = serializers.CharField(source="area_id", read_only=True)
    household_type = serializers.CharField(source="household.household_type", read_only=True)
    monitoring_type = serializers.CharField(source="household.monitoring_type", read_only=True)
    is_laborer = serializers.SerializerMethodField()
    health = serializers.ChoiceField(
        [*vocab.HEALTH, HIDDEN], label="健康状况", read_only=True, help_text=f"无权查看敏感信息时为 {HIDDEN}"
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "id_number",
            "name",
            "name_initials",
            "sex",
            "birth_date",
            "ethnicity",
            "relation",
            "household",
            "household_number",
            "village_code",
            "household_type",
            "monitoring_type",
            "education",
            "student_status",
            "health",
            "labor_skill",
            "employment_status",
            "work_months",
            "phone",
            "wants_work",
            "job_wish",
            "desired_region",
            "expected_wage",
            "training_wish",
            "entrepreneurship_wish",
            "skills",
            "is_laborer",
            "is_deceased",
            "died_on",
            "disability_category",
            "disability_grade",
            "pension_insurance",
            "pension_status",
            "medical_insured_year",
            "medical_status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_laborer(self, person) -> bool:
        # The working-age rules are read once per response (the context is shared by a list's rows).
        book = self.context.setdefault("labor_age_rules", LaborAgeRule.objects.book(timezone.localdate()))
        return person.is_laborer_on(book.on, book.for_code(person.area_id))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("show_sensitive"):
            data["id_number"], data["phone"] = instance.masked_id, instance.masked_phone
            data.update(dict.fromkeys(HEALTH_FIELDS, HIDDEN))  # hidden whether filled or not
        return data


class PersonWriteSerializer(serializers.Serializer):
    """The EXCHANGE.md §1 fields under their English names; validated exactly as an imported row."""

    village_code = serializers.CharField(help_text="12 位村级区划代码")
    household_number = serializers.CharField(help_text="户编号")
    name = serializers.CharField()
    id_number = serializers.CharField(help_text="18 位公民身份号码（15 位旧号自动升位）")
    relation = serializers.CharField(help_text="与户主关系")

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"detail": "请求体应为 JSON 对象。"})
        unknown = sorted(set(data) - set(FIELD_COLUMNS))
        if unknown:
            raise serializers.ValidationError({name: "未知字段。" for name in unknown})
        cells = {column: data.get(field) for field, column in FIELD_COLUMNS.items()}
        cells = {c: ("是" if v is True else "否" if v is False else v) for c, v in cells.items()}
        instance = self.instance
        if instance is not None:  # a partial update: what is not sent keeps its current value
            from bangfu.registry.export import SOURCES, _cell

            current = Person.objects.filter(pk=instance.pk).values_list(*SOURCES.values()).get()
            cells = {
                col: (cells[col] if COLUMN_FIELDS[col] in data else _cell(v))
                for col, v in zip(SOURCES, current, strict=True)
            }
            if cells["证件号码"] != instance.id_number:
                raise serializers.ValidationError({"id_number": "证件号码不能修改。"})
        record_, errors = clean_row(cells, area_lookup(self.context["request"].user.area))
        if errors:
            raise serializers.ValidationError(
                {COLUMN_FIELDS.get(e.column, "non_field_errors"): e.message for e in errors}
            )
        return {"record": record_}


@extend_schema_view(
    list=extend_schema(summary="辖区内的人员（证件号码、电话脱敏，健康和残疾信息显示为 ******）"),
    retrieve=extend_schema(
        summary="一个人员（有权限者可见完整证件号码、电话和健康、残疾信息，每次查看都记入审计）"
    ),
    create=extend_schema(summary="登记人员（与名册导入相同的校验）", request=PersonWriteSerializer),
    partial_update=extend_schema(summary="修改人员（只改提交的字段）", request=PersonWriteSerializer),
)
class PersonViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PersonFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def refine_queryset(self, queryset):
        return queryset.select_related("household", "area").order_by("area_id", "name", "id")

    def get_serializer_class(self):
        return (
            PersonWriteSerializer
            if self.action in ("create", "partial_update", "update")
            else PersonSerializer
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["show_sensitive"] = self.action == "retrieve" and self.request.user.can_view_sensitive
        return context

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if request.user.can_view_sensitive:
            with transaction.atomic():
                record(
                    Action.VIEW_SENSITIVE,
                    actor=request.user,
                    obj=self.get_object(),
                    message="接口查看完整证件号码、电话和健康、残疾信息",
                )
        return response

    def _save(self, serializer):
        try:
            person = actions.save_person(
                self.request.user, serializer.validated_data["record"], source=actions.SOURCE_API
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return person

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        id_number = serializer.validated_data["record"].id_number
        if Person.objects.for_user(request.user).filter(id_number=id_number).exists():
            raise serializers.ValidationError({"id_number": "此证件号码已登记，请修改原记录。"})
        try:  # registered elsewhere: the window check's answer, kept, audited and limited
            actions.check_new_registration(request.user, id_number)
        except actions.WindowCheckLimited as exc:
            raise exceptions.Throttled(detail=str(exc)) from exc
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        person = self._save(serializer)
        return self._respond(person, 201)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._respond(self._save(serializer), 200)

    def _respond(self, person, status):
        data = PersonSerializer(person, context={"show_sensitive": False}).data
        return Response(data, status=status)


class HouseholdSerializer(serializers.ModelSerializer):
    village_code = serializers.CharField(source="area_id", read_only=True)
    member_count = serializers.IntegerField(source="members.count", read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "number",
            "village_code",
            "household_type",
            "monitoring_type",
            "risk_identified_on",
            "risk_eliminated_on",
            "poverty_exit_year",
            "income_per_capita",
            "is_dibao",
            "is_tekun",
            "is_relocated",
            "poverty_causes",
            "member_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class HouseholdWriteSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="户编号")
    village_code = serializers.CharField(help_text="12 位村级区划代码")
    household_type = serializers.ChoiceField(choices=vocab.HOUSEHOLD_TYPES, required=False, allow_blank=True)
    monitoring_type = serializers.ChoiceField(
        choices=vocab.MONITORING_TYPES, required=False, allow_blank=True
    )
    risk_identified_on = serializers.DateField(required=False, allow_null=True)
    risk_eliminated_on = serializers.DateField(required=False, allow_null=True)
    poverty_exit_year = serializers.IntegerField(
        min_value=2014, max_value=2020, required=False, allow_null=True
    )
    income_per_capita = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    is_dibao = serializers.BooleanField(required=False, allow_null=True)
    is_tekun = serializers.BooleanField(required=False, allow_null=True)
    is_relocated = serializers.BooleanField(required=False, allow_null=True)
    poverty_causes = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def validate(self, data):
        instance = self.instance
        merged = {f: getattr(instance, f) for f in actions.HOUSEHOLD_EDIT_FIELDS} if instance else {}
        merged.update({k: v for k, v in data.items() if k in actions.HOUSEHOLD_EDIT_FIELDS})
        if merged.get("monitoring_type") and merged.get("household_type") != "监测户":
            raise serializers.ValidationError(
                {"monitoring_type": "只有户类型为“监测户”时才能填写监测对象类型。"}
            )
        lookup = area_lookup(self.context["request"].user.area)
        code = data.get("village_code") or (instance.area_id if instance else "")
        village, problem = lookup.by_code(code)
        if problem:
            raise serializers.ValidationError({"village_code": problem})
        if instance and data.get("number", instance.number) != instance.number:
            raise serializers.ValidationError({"number": "户编号不能修改。"})
        return {"number": data.get("number") or instance.number, "village": village, "values": merged}


@extend_schema_view(
    list=extend_schema(summary="辖区内的户"),
    retrieve=extend_schema(summary="一户"),
    create=extend_schema(summary="新增户", request=HouseholdWriteSerializer),
    partial_update=extend_schema(
        summary="修改户信息（成员通过人员接口修改）", request=HouseholdWriteSerializer
    ),
)
class HouseholdViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Household.objects.all()
    serializer_class = HouseholdSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = HouseholdFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def refine_queryset(self, queryset):
        return queryset.order_by("area_id", "number")

    def get_serializer_class(self):
        return (
            HouseholdWriteSerializer
            if self.action in ("create", "partial_update", "update")
            else HouseholdSerializer
        )

    def _save(self, data):
        from bangfu.areas.models import Area

        try:
            return actions.save_household(
                self.request.user,
                number=data["number"],
                area=Area.objects.get(code=data["village"]),
                values=data["values"],
                source=actions.SOURCE_API,
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if Household.objects.filter(number=serializer.validated_data["number"]).exists():
            raise serializers.ValidationError({"number": "该户编号已存在。"})
        return Response(HouseholdSerializer(self._save(serializer.validated_data)).data, status=201)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(HouseholdSerializer(self._save(serializer.validated_data)).data)
