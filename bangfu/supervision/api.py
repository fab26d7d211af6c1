"""督办 API under /api/v1/: supervision tasks (send one; each with the receiving areas the user sees),
replies (report; the sender's review) and the rectification ledger (with the page's filters; progress
and 销号) — the same actions as the pages, the same scope (`for_user`). Attachments are listed with
their download links (the page's audited download); they are uploaded on the pages."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bangfu.areas.models import Area
from bangfu.core.api import ScopedViewSetMixin
from bangfu.supervision import actions
from bangfu.supervision.filters import RectificationFilter, ReplyFilter, TaskFilter
from bangfu.supervision.models import (
    Assignment,
    Attachment,
    Progress,
    Rectification,
    RectStatus,
    Reply,
    Review,
    Source,
    Status,
    Task,
)


def _act(call):
    try:
        return call()
    except DjangoValidationError as exc:
        raise exceptions.ValidationError({"detail": exc.messages}) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址（网页登录后下载，每次下载记入审计日志）")

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return reverse("supervision:attachment", args=[attachment.pk])


class AssignmentSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    status = serializers.SerializerMethodField(help_text="按今天计算：未办理、办理中、已办结、逾期")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "area_code",
            "area_name",
            "due_on",
            "status",
            "replied_at",
            "awaiting_review",
            "done_on",
        ]
        read_only_fields = fields

    def get_status(self, assignment) -> Status:
        return assignment.status_on(timezone.localdate())


class TaskSerializer(serializers.ModelSerializer):
    sender_code = serializers.CharField(source="area_id", read_only=True)
    sender_name = serializers.CharField(source="area.name", read_only=True)
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True)
    files = AttachmentSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(
        source="visible_assignments", many=True, read_only=True, help_text="本人可见的承办区域"
    )

    class Meta:
        model = Task
        fields = [
            "id", "title", "content", "due_on", "leader", "unit", "sender_code", "sender_name",
            "created_by_name", "created_at", "files", "assignments",
        ]  # fmt: skip
        read_only_fields = fields


class TaskCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()
    due_on = serializers.DateField(help_text="办理期限，不早于今天")
    leader = serializers.CharField(max_length=50, help_text="责任领导")
    unit = serializers.CharField(max_length=100, help_text="责任单位")
    all_children = serializers.BooleanField(default=False, help_text="下发本区域的全部下级区域")
    areas = serializers.ListField(
        child=serializers.CharField(max_length=12),
        required=False,
        help_text="承办区域的区划代码（本辖区的下级区域，任一级）",
    )


@extend_schema_view(
    list=extend_schema(summary="督办任务：本辖区下发的，以及下发给本辖区的（筛选：q、overdue）"),
    retrieve=extend_schema(summary="一项督办任务及本人可见的承办区域"),
    create=extend_schema(
        summary="下发督办任务（发文区域为本人所属区域）",
        request=TaskCreateSerializer,
        responses={201: TaskSerializer},
    ),
)
class TaskViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Task.objects.all()
    serializer_class = TaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TaskFilter

    def refine_queryset(self, queryset):
        visible = Assignment.objects.for_user(self.request.user).select_related("area").order_by("area_id")
        return (
            queryset.select_related("area", "created_by")
            .prefetch_related(
                "files", Prefetch("assignments", queryset=visible, to_attr="visible_assignments")
            )
            .order_by("-created_at", "-id")
        )

    def create(self, request, *args, **kwargs):
        data = TaskCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user

        def send():
            areas = (
                actions.receiving_areas(user, all_children=True)
                if values["all_children"]
                else actions.receiving_areas(user, codes=values.get("areas") or [])
            )
            return actions.create_task(
                user, title=values["title"], content=values["content"], due_on=values["due_on"],
                leader=values["leader"], unit=values["unit"], areas=areas,
            )  # fmt: skip

        task = _act(send)
        return Response(
            TaskSerializer(self.get_queryset().get(pk=task.pk)).data, status=status.HTTP_201_CREATED
        )


class ReplySerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="assignment.task_id", read_only=True)
    area_code = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    submitted_by_name = serializers.CharField(source="submitted_by.display_name", read_only=True)
    reviewed_by_name = serializers.CharField(source="reviewed_by.display_name", default="", read_only=True)
    files = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Reply
        fields = [
            "id", "task", "assignment", "area_code", "area_name", "content", "progress", "submitted_by_name",
            "submitted_at", "review", "reviewed_by_name", "reviewed_at", "return_reason", "files",
        ]  # fmt: skip
        read_only_fields = fields


class ReplyCreateSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(min_value=1, max_value=2**62, help_text="承办区域（督办事项）编号")
    content = serializers.CharField(help_text="办理情况")
    progress = serializers.ChoiceField(choices=Progress.choices, help_text="办理进度")


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", "采纳"), ("return", "退回")])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="退回原因")


@extend_schema_view(
    list=extend_schema(summary="本辖区承办区域报送的办理情况（筛选：assignment、task、review）"),
    retrieve=extend_schema(summary="一条办理情况"),
    create=extend_schema(
        summary="报送办理情况（承办区域或其上级、发文区域以下的工作人员）",
        request=ReplyCreateSerializer,
        responses={201: ReplySerializer},
    ),
)
class ReplyViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Reply.objects.all()
    serializer_class = ReplySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReplyFilter

    def refine_queryset(self, queryset):
        return (
            queryset.select_related("area", "assignment", "submitted_by", "reviewed_by")
            .prefetch_related("files")
            .order_by("-submitted_at", "-id")
        )

    def create(self, request, *args, **kwargs):
        data = ReplyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        assignment = Assignment.objects.for_user(request.user).filter(pk=values["assignment"]).first()
        if assignment is None:
            raise exceptions.ValidationError({"assignment": ["没有这个督办事项，或不在您的管辖区域内。"]})
        reply = _act(
            lambda: actions.submit_reply(
                request.user, assignment, content=values["content"], progress=values["progress"]
            )
        )
        return Response(
            ReplySerializer(self.get_queryset().get(pk=reply.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"],
        summary="本人能否审核这条办理情况",
        responses=inline_serializer(
            "ReplyReviewState",
            {
                "review": serializers.ChoiceField(Review.choices),
                "can_review": serializers.BooleanField(help_text="发文区域的工作人员，且待审核"),
            },
        ),
    )
    @extend_schema(
        methods=["POST"],
        summary="审核办理情况：采纳（办结的即办结），或退回（须说明原因）；发文区域的工作人员",
        request=ReviewSerializer,
        responses=ReplySerializer,
    )
    @action(detail=True, methods=["get", "post"])
    def review(self, request, pk=None, format=None):
        reply = self.get_object()
        if request.method == "GET":
            allowed = reply.review == Review.PENDING and actions.can_review(
                request.user, reply.assignment.task
            )
            return Response({"review": reply.review, "can_review": allowed})
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        _act(
            lambda: actions.review_reply(
                request.user, reply, accept=values["decision"] == "accept", reason=values.get("reason", "")
            )
        )
        return Response(ReplySerializer(self.get_queryset().get(pk=reply.pk)).data)


class RectificationSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    overdue = serializers.SerializerMethodField(help_text="未整改或整改中，且已过整改时限")
    closed_by_name = serializers.CharField(source="closed_by.display_name", default="", read_only=True)
    files = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id", "area_code", "area_name", "unit", "problem", "source", "task", "warning", "measures",
            "deadline", "status", "overdue", "done_on", "closed_on", "closed_by_name", "close_note",
            "created_at", "files",
        ]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, item) -> bool:
        return item.is_overdue(timezone.localdate())


class RectificationCreateSerializer(serializers.Serializer):
    area = serializers.CharField(max_length=12, help_text="责任区域的区划代码（本辖区内）")
    unit = serializers.CharField(max_length=100, help_text="责任单位")
    problem = serializers.CharField(help_text="问题")
    source = serializers.ChoiceField(choices=Source.choices, help_text="问题来源")
    task = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)
    warning = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)
    measures = serializers.CharField(required=False, allow_blank=True, help_text="整改措施")
    deadline = serializers.DateField(help_text="整改时限")


# The moves of a rectification's own area (已销号 is the level above's).
MOVES = (RectStatus.NEW, RectStatus.IN_HAND, RectStatus.DONE)


class ProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in MOVES],
        help_text="整改状态（销号由上级办理）",
    )
    measures = serializers.CharField(required=False, allow_blank=True, help_text="整改措施")


class CloseSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="销号日期，默认今天")
    note = serializers.CharField(max_length=300, help_text="销号说明")


@extend_schema_view(
    list=extend_schema(summary="整改台账（筛选同台账页面：q、status、source、overdue、area、task）"),
    retrieve=extend_schema(summary="一项整改事项"),
    create=extend_schema(
        summary="登记整改事项",
        request=RectificationCreateSerializer,
        responses={201: RectificationSerializer},
    ),
)
class RectificationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Rectification.objects.all()
    serializer_class = RectificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RectificationFilter

    def refine_queryset(self, queryset):
        return (
            queryset.select_related("area", "closed_by").prefetch_related("files").order_by("deadline", "id")
        )

    def _answer(self, item, code=status.HTTP_200_OK):
        return Response(RectificationSerializer(self.get_queryset().get(pk=item.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        from bangfu.tracking.models import Warning

        data = RectificationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        area = Area.objects.in_scope(user, values["area"])
        if area is None:
            raise exceptions.ValidationError({"area": ["区划代码不存在或不在您的管辖区域内。"]})
        task = warning = None
        if values.get("task"):
            task = Task.objects.for_user(user).filter(pk=values["task"]).first()
            if task is None:
                raise exceptions.ValidationError({"task": ["没有这个督办任务，或不在您的管辖区域内。"]})
        if values.get("warning"):
            warning = Warning.objects.for_user(user).filter(pk=values["warning"]).first()
            if warning is None:
                raise exceptions.ValidationError({"warning": ["没有这条预警，或不在您的管辖区域内。"]})
        item = _act(
            lambda: actions.create_rectification(
                user,
                area=area,
                unit=values["unit"],
                problem=values["problem"],
                source=values["source"],
                deadline=values["deadline"],
                measures=values.get("measures", ""),
                task=task,
                warning=warning,
            )
        )
        return self._answer(item, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="当前整改状态和可改为的状态",
        responses=inline_serializer(
            "RectificationProgressState",
            {
                "status": serializers.ChoiceField(RectStatus.choices),
                "next_statuses": serializers.ListField(child=serializers.ChoiceField(RectStatus.choices)),
            },
        ),
    )
    @extend_schema(
        methods=["POST"],
        summary="更新整改情况：整改状态和整改措施",
        request=ProgressSerializer,
        responses=RectificationSerializer,
    )
    @action(detail=True, methods=["get", "post"])
    def progress(self, request, pk=None, format=None):
        item = self.get_object()
        if request.method == "GET":
            nexts = [] if item.status == RectStatus.CLOSED else [s for s in MOVES if s != item.status]
            return Response({"status": item.status, "next_statuses": nexts})
        data = ProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        measures = values.get("measures", item.measures)
        _act(
            lambda: actions.update_rectification(
                request.user, item, measures=measures, status=values["status"]
            )
        )
        return self._answer(item)

    @extend_schema(
        methods=["GET"],
        summary="本人能否为这项整改事项销号",
        responses=inline_serializer(
            "RectificationCloseState",
            {"can_close": serializers.BooleanField(help_text="责任区域的上级区域的工作人员，且已整改")},
        ),
    )
    @extend_schema(
        methods=["POST"],
        summary="销号（责任区域的上级区域；须已整改）",
        request=CloseSerializer,
        responses=RectificationSerializer,
    )
    @action(detail=True, methods=["get", "post"])
    def close(self, request, pk=None, format=None):
        item = self.get_object()
        if request.method == "GET":
            return Response({"can_close": actions.can_close(request.user, item)})
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        on = values.get("on") or timezone.localdate()
        _act(lambda: actions.close_rectification(request.user, item, on=on, note=values["note"]))
        return self._answer(item)
