"""Writes to accounts. Each runs in one transaction with its audit event."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from bangfu.accounts.models import LEVEL_ROLE, Kind, User
from bangfu.areas.models import Area
from bangfu.audit.log import record, snapshot
from bangfu.audit.models import Action

AUDITED_FIELDS = [
    "username",
    "name",
    "phone",
    "kind",
    "role",
    "area",
    "is_active",
    "can_manage_users",
    "can_view_sensitive",
    "must_change_password",
    "is_demo",
    "is_superuser",
]


def _check_grants(actor: User, area: Area, can_manage_users: bool, can_view_sensitive: bool) -> None:
    if not actor.area.contains(area):
        raise PermissionDenied("只能把用户设置在您管辖的区域内。")
    if can_manage_users and not actor.can_manage_users:
        raise PermissionDenied("您没有用户管理权限，不能授予该权限。")
    if can_view_sensitive and not actor.can_view_sensitive:
        raise PermissionDenied("您自己没有查看完整敏感信息的权限，不能授予他人。")


@transaction.atomic
def create_staff_user(
    actor: User | None,
    *,
    username: str,
    password: str,
    area: Area,
    name: str = "",
    phone: str = "",
    can_manage_users: bool = False,
    can_view_sensitive: bool = False,
    must_change_password: bool = True,
    is_demo: bool = False,
    validate: bool = True,
) -> User:
    """A staff account bound to `area`, its role following the area's level. `actor` None = system."""
    if actor is not None:
        if not actor.can_manage_users:
            raise PermissionDenied("您没有用户管理权限。")
        _check_grants(actor, area, can_manage_users, can_view_sensitive)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该登录名已被使用。"})
    user = User(
        username=username,
        name=name,
        phone=phone,
        kind=Kind.STAFF,
        role=LEVEL_ROLE[area.level],
        area=area,
        can_manage_users=can_manage_users,
        can_view_sensitive=can_view_sensitive,
        must_change_password=must_change_password,
        is_demo=is_demo,
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    record(Action.CREATE, actor=actor, obj=user, after=snapshot(user, AUDITED_FIELDS), message="新增用户")
    return user


@transaction.atomic
def update_staff_user(actor: User, user: User, **changes) -> User:
    """Change name, phone, area and grants of a user the actor manages."""
    if not actor.can_manage(user):
        raise PermissionDenied("您不能修改该用户。")
    before = snapshot(user, AUDITED_FIELDS)
    area = changes.get("area", user.area)
    _check_grants(
        actor,
        area,
        changes.get("can_manage_users", False) and not user.can_manage_users,
        changes.get("can_view_sensitive", False) and not user.can_view_sensitive,
    )
    for field in ("name", "phone", "can_manage_users", "can_view_sensitive"):
        if field in changes:
            setattr(user, field, changes[field])
    if area.pk != user.area_id:
        user.area = area
        user.role = LEVEL_ROLE[area.level]
    user.save()
    after = snapshot(user, AUDITED_FIELDS)
    if after != before:
        record(Action.UPDATE, actor=actor, obj=user, before=before, after=after, message="修改用户")
    return user


@transaction.atomic
def set_user_active(actor: User, user: User, active: bool) -> User:
    if not actor.can_manage(user):
        raise PermissionDenied("您不能修改该用户。")
    if user.is_active == active:
        return user
    before = snapshot(user, AUDITED_FIELDS)
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        Token.objects.filter(user=user).delete()
    record(
        Action.UPDATE,
        actor=actor,
        obj=user,
        before=before,
        after=snapshot(user, AUDITED_FIELDS),
        message="启用用户" if active else "停用用户",
    )
    return user


@transaction.atomic
def reset_password(actor: User, user: User, password: str) -> User:
    """A manager sets a temporary password; the user must change it at the next login."""
    if not actor.can_manage(user):
        raise PermissionDenied("您不能修改该用户。")
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(Action.PASSWORD, actor=actor, obj=user, message="管理员重置密码，下次登录须修改")
    return user


@transaction.atomic
def change_own_password(user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise ValidationError({"old_password": "原密码不正确。"})
    validate_password(new_password, user)
    user.set_password(new_password)
    had_token = Token.objects.filter(user=user).exists()
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])  # ends the API token (User.save)
    record(
        Action.PASSWORD,
        actor=user,
        obj=user,
        message="本人修改密码" + ("，接口令牌已失效" if had_token else ""),
    )
    return user


@transaction.atomic
def update_own_profile(user: User, *, name: str, phone: str) -> User:
    before = snapshot(user, AUDITED_FIELDS)
    user.name, user.phone = name, phone
    user.save(update_fields=["name", "phone"])
    after = snapshot(user, AUDITED_FIELDS)
    if after != before:
        record(Action.UPDATE, actor=user, obj=user, before=before, after=after, message="本人修改资料")
    return user


@transaction.atomic
def issue_token(user: User) -> Token:
    """A new API token for the user, replacing any earlier one."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    record(Action.TOKEN, actor=user, obj=user, message="生成接口令牌")
    return token


@transaction.atomic
def revoke_token(user: User) -> None:
    if Token.objects.filter(user=user).delete()[0]:
        record(Action.TOKEN, actor=user, obj=user, message="撤销接口令牌")
