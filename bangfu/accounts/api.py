"""Accounts API: obtain a token, see oneself, manage the users of one's own subtree."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from bangfu.accounts import actions
from bangfu.accounts.forms import clean_phone_value
from bangfu.accounts.models import User
from bangfu.accounts.throttle import blocked_message, login_blocked
from bangfu.areas.models import Area, normalize_code
from bangfu.audit.context import client_ip
from bangfu.core.access import MUST_CHANGE_PASSWORD_MESSAGE
from bangfu.core.api import ScopedViewSetMixin
from bangfu.core.authentication import token_expires_at
from bangfu.core.schema import ErrorSerializer


class UserSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id", help_text="所属区域 12 位代码（写入时 2–12 位均可）")
    role_name = serializers.CharField(source="get_role_display", read_only=True)
    password = serializers.CharField(write_only=True, required=False, help_text="新增时必填：初始密码")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "phone",
            "role",
            "role_name",
            "area",
            "is_active",
            "can_manage_users",
            "can_view_sensitive",
            "must_change_password",
            "last_login",
            "date_joined",
            "password",
        ]
        read_only_fields = ["role", "is_active", "must_change_password", "last_login", "date_joined"]

    def validate_area(self, value):
        try:
            code = normalize_code(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        area = Area.objects.for_user(self.context["request"].user).filter(code=code).first()
        if area is None:
            raise serializers.ValidationError(f"区划代码“{value}”不存在，或不在您的管辖区域内。")
        return area

    def validate_phone(self, value):
        try:
            return clean_phone_value(value)
        except Exception as exc:
            raise serializers.ValidationError(
                exc.messages[0] if hasattr(exc, "messages") else str(exc)
            ) from exc

    def to_representation(self, instance):
        from bangfu.core.idnumber import mask_phone

        data = super().to_representation(instance)
        data["phone"] = mask_phone(instance.phone)
        return data


def _raise_drf(exc: Exception):
    if isinstance(exc, PermissionDenied):
        raise exceptions.PermissionDenied(str(exc)) from exc
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"password": exc.messages}
        raise serializers.ValidationError(detail) from exc
    raise exc


@extend_schema_view(
    list=extend_schema(summary="辖区内的用户"),
    retrieve=extend_schema(summary="一个用户"),
    create=extend_schema(summary="新增用户（须有用户管理权限）"),
    partial_update=extend_schema(summary="修改用户（姓名、电话、区域、权限、启用状态）"),
)
class UserViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    queryset = User.objects.all()
    serializer_class = UserSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def refine_queryset(self, queryset):
        return queryset.staff().select_related("area").order_by("area_id", "username")

    def _require_manager(self):
        if not self.request.user.can_manage_users:
            raise exceptions.PermissionDenied("您没有用户管理权限。")

    def perform_create(self, serializer):
        self._require_manager()
        data = serializer.validated_data
        if not data.get("password"):
            raise serializers.ValidationError({"password": "新增用户须设置初始密码。"})
        try:
            serializer.instance = actions.create_staff_user(
                self.request.user,
                username=data["username"],
                password=data["password"],
                area=data["area_id"],
                name=data.get("name", ""),
                phone=data.get("phone", ""),
                can_manage_users=data.get("can_manage_users", False),
                can_view_sensitive=data.get("can_view_sensitive", False),
            )
        except (PermissionDenied, ValidationError) as exc:
            _raise_drf(exc)

    def perform_update(self, serializer):
        self._require_manager()
        target = serializer.instance
        data = serializer.validated_data
        if "username" in data and data["username"] != target.username:
            raise serializers.ValidationError({"username": "登录名不能修改。"})
        try:
            changes = {
                k: v
                for k, v in data.items()
                if k in {"name", "phone", "can_manage_users", "can_view_sensitive"}
            }
            if "area_id" in data:
                changes["area"] = data["area_id"]
            actions.update_staff_user(self.request.user, target, **changes)
            if "is_active" in self.request.data:
                active = serializers.BooleanField().run_validation(self.request.data["is_active"])
                actions.set_user_active(self.request.user, target, active)
            if data.get("password"):
                actions.reset_password(self.request.user, target, data["password"])
        except (PermissionDenied, ValidationError) as exc:
            _raise_drf(exc)
        target.refresh_from_db()

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)


@extend_schema(summary="当前用户", responses=UserSerializer)
@api_view(["GET"])
def me(request):
    return Response(UserSerializer(request.user, context={"request": request}).data)


@extend_schema(
    summary="用用户名和密码换取接口令牌",
    request=inline_serializer(
        "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
    ),
    responses={
        200: inline_serializer(
            "TokenResponse",
            {
                "token": serializers.CharField(),
                "expires": serializers.DateTimeField(help_text="令牌失效时间；修改密码后令牌立即失效"),
            },
        ),
        400: OpenApiResponse(ErrorSerializer, description="未提供用户名或密码，或用户名或密码错误。"),
        403: OpenApiResponse(ErrorSerializer, description="须先在网页上修改初始密码。"),
        429: OpenApiResponse(ErrorSerializer, description="失败次数过多，暂时锁定。"),
    },
    auth=[],
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def token_view(request):
    username = str(request.data.get("username", "")).strip()
    password = str(request.data.get("password", ""))
    if not username or not password:
        return Response({"detail": "请提供用户名和密码。"}, status=status.HTTP_400_BAD_REQUEST)
    if login_blocked(username, client_ip(request)):
        return Response({"detail": blocked_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_staff_account:
        return Response({"detail": "用户名或密码错误。"}, status=status.HTTP_400_BAD_REQUEST)
    if user.must_change_password:
        return Response({"detail": MUST_CHANGE_PASSWORD_MESSAGE}, status=status.HTTP_403_FORBIDDEN)
    user_logged_in.send(sender=type(user), request=request, user=user)  # audits and sets last_login
    token = actions.issue_token(user)
    return Response({"token": token.key, "expires": token_expires_at(token).isoformat()})
