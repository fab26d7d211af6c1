"""Warning API (/api/v1/warnings/): the warnings of the user's subtree with the page's filters, and the work
on one — take it in hand, assign it, record help, close it — through the same actions as the pages."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bangfu.core.api import ScopedViewSetMixin
from bangfu.referrals.models import Referral
from bangfu.registry.models import Person
from bangfu.tracking import actions
from bangfu.tracking.filters import WarningFilter
from bangfu.tracking.models import HelpKind, Warning, WarningHelp, WarningStatus


class HelpSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", default="", read_only=True)

    class Meta:
        model = WarningHelp
        fields = ["kind", "on", "note", "referral", "service", "by", "created_at"]
        read_only_fields = fields


class WarningSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", default="", read_only=True)
    person_id_number = serializers.CharField(
        source="person.masked_id", default="", read_only=True, help_text="脱敏；户预警为空"
    )
    household_number = serializers.CharField(source="household.number", read_only=True)
    village_code = serializers.CharField(source="area_id", read_only=True)
    assignee_name = serializers.CharField(source="assignee.display_name", default="", read_only=True)
    overdue = serializers.SerializerMethodField(help_text="未处理且已过处理期限")
    helps = HelpSerializer(many=True, read_only=True)

    class Meta:
        model = Warning
        fields = [
            "id", "kind", "person", "person_name", "person_id_number", "household", "household_number",
            "village_code", "basis", "raised_on", "detail", "status", "assignee", "assignee_name", "due_on",
            "overdue", "ended_on", "end_reason", "helps",
        ]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, warning) -> bool:
        return bool(warning.is_open and warning.due_on and warning.due_on < timezone.localdate())


class AssignRequestSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="责任人的用户编号（本村或上级区域的工作人员）；不填或 null 为不指定",
    )


class UserChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    area_code = serializers.CharField(source="area_id")
    area_name = serializers.CharField(source="area.name")


class AssignChoicesSerializer(serializers.Serializer):
    users = UserChoiceSerializer(many=True, help_text="本村及上级区域、本人辖区内的在用工作人员账号")


class PersonChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField(source="masked_id", help_text="脱敏")


class ReferralChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    job_title = serializers.CharField(source="job.title")
    status = serializers.CharField()


class HelpChoicesSerializer(serializers.Serializer):
    kinds = serializers.ListField(child=serializers.ChoiceField(HelpKind.choices))
    people = PersonChoiceSerializer(many=True, help_text="可接受帮扶的人员（人员预警为其本人）")
    referrals = ReferralChoiceSerializer(many=True, help_text="这些人员的推荐记录（最近 100 条）")


class HelpRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HelpKind.choices, help_text="帮扶措施")
    on = serializers.DateField(required=False, allow_null=True, help_text="日期，默认今天")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    person = serializers.IntegerField(
        required=False, allow_null=True, help_text="户预警：接受职业指导或培训信息的家庭成员"
    )
    referral = serializers.IntegerField(required=False, allow_null=True, help_text="推荐岗位：推荐记录编号")


# The moves staff make by hand (已解除 is the scan's).
MOVES = [(WarningStatus.IN_HAND.value, "处理中"), (WarningStatus.CLOSED.value, "已关闭")]


class StatusRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=MOVES,
        help_text="处理中：开始处理；已关闭：关闭（须说明原因）",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="关闭原因")


def _act(call):
    try:
        return call()
    except DjangoValidationError as exc:
        raise exceptions.ValidationError({"detail": exc.messages}) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc


@extend_schema_view(
    list=extend_schema(summary="辖区内的预警（按人员或户所在村限定；筛选同预警列表页）"),
    retrieve=extend_schema(summary="一条预警及已采取的帮扶措施"),
)
class WarningViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Warning.objects.all()
    serializer_class = WarningSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = WarningFilter

    def paginate_queryset(self, queryset):
        # The page's ids first (the list index alone), then their rows with what the answer shows.
        ids = super().paginate_queryset(queryset.values_list("id", flat=True))
        if ids is None:
            return None
        rows = {w.pk: w for w in self.refine_queryset(Warning.objects.filter(pk__in=list(ids)))}
        return [rows[pk] for pk in ids if pk in rows]

    def refine_queryset(self, queryset):
        return (
            queryset.select_related("person", "household", "assignee")
            .prefetch_related("helps__by")
            .order_by("-raised_on", "-id")
        )

    def _done(self, warning):
        return Response(WarningSerializer(self.get_queryset().get(pk=warning.pk)).data)

    @extend_schema(
        methods=["GET"],
        summary="当前状态和可改为的状态",
        responses=inline_serializer(
            "WarningState",
            {
                "status": serializers.ChoiceField(WarningStatus.choices),
                "next_statuses": serializers.ListField(child=serializers.ChoiceField(MOVES)),
            },
        ),
    )
    @extend_schema(
        methods=["POST"],
        summary="开始处理（处理中），或关闭（已关闭，须说明原因；同一情况不再预警）",
        request=StatusRequestSerializer,
        responses=WarningSerializer,
    )
    @action(detail=True, methods=["get", "post"])
    def status(self, request, pk=None, format=None):
        warning = self.get_object()
        if request.method == "GET":
            nexts = (
                [WarningStatus.IN_HAND, WarningStatus.CLOSED]
                if warning.status == WarningStatus.OPEN
                else ([WarningStatus.CLOSED] if warning.status == WarningStatus.IN_HAND else [])
            )
            return Response({"status": warning.status, "next_statuses": nexts})
        data = StatusRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["status"] == WarningStatus.IN_HAND:
            return self._done(_act(lambda: actions.start_warning(request.user, warning)))
        return self._done(
            _act(lambda: actions.close_warning(request.user, warning, values.get("reason", "")))
        )

    @extend_schema(
        methods=["GET"],
        summary="可指定的责任人（本村及上级区域的工作人员）",
        responses=AssignChoicesSerializer,
    )
    @extend_schema(
        methods=["POST"], summary="指定责任人", request=AssignRequestSerializer, responses=WarningSerializer
    )
    @action(detail=True, methods=["get", "post"])
    def assign(self, request, pk=None, format=None):
        warning = self.get_object()
        users = actions.assignable_users(request.user, warning.area_id)
        if request.method == "GET":
            return Response(AssignChoicesSerializer({"users": users}).data)
        data = AssignRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_id = data.validated_data.get("assignee")
        assignee = None
        if user_id is not None:
            assignee = users.filter(pk=user_id).first()
            if assignee is None:
                raise exceptions.ValidationError(
                    {"assignee": ["该用户不能负责此预警（须为本村或上级区域的在用工作人员账号）。"]}
                )
        return self._done(_act(lambda: actions.assign_warning(request.user, warning, assignee)))

    @extend_schema(
        methods=["GET"],
        summary="可登记的帮扶措施，以及可选的家庭成员和推荐记录",
        responses=HelpChoicesSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary="登记帮扶措施（推荐岗位、职业指导、培训信息等）",
        request=HelpRequestSerializer,
        responses=WarningSerializer,
    )
    @action(detail=True, methods=["get", "post"])
    def help(self, request, pk=None, format=None):
        warning = self.get_object()
        members = Person.objects.for_user(request.user).filter(
            household_id=warning.household_id, is_deceased=False
        )
        if warning.person_id:
            members = members.filter(pk=warning.person_id)
        referrals = Referral.objects.for_user(request.user).filter(person__in=members)
        if request.method == "GET":
            return Response(
                HelpChoicesSerializer(
                    {
                        "kinds": HelpKind.values,
                        "people": members.order_by("id"),
                        "referrals": referrals.select_related("job", "person").order_by("-created_at")[:100],
                    }
                ).data
            )
        data = HelpRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = referral = None
        if values.get("person") is not None:
            person = members.filter(pk=values["person"]).first()
            if person is None:
                raise exceptions.ValidationError({"person": ["该人员不是此预警所涉的家庭成员。"]})
        if values.get("referral") is not None:
            referral = referrals.filter(pk=values["referral"]).first()
            if referral is None:
                raise exceptions.ValidationError({"referral": ["该推荐不属于此预警所涉的人员。"]})
        _act(
            lambda: actions.add_help(
                request.user, warning, kind=values["kind"], on=values.get("on"), note=values.get("note", ""),
                person=person, referral=referral,
            )
        )  # fmt: skip
        return self._done(warning)
