"""Login, own profile and password, API token, and management of the users of one's own subtree."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from bangfu.accounts import actions
from bangfu.accounts.forms import LoginForm, PasswordChangeForm, PasswordResetForm, ProfileForm, UserForm
from bangfu.accounts.models import Role, User
from bangfu.audit.log import record
from bangfu.audit.models import Action
from bangfu.core.access import staff_required
from bangfu.core.authentication import token_expires_at
from bangfu.core.views import paginate


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # Enterprise accounts never see staff pages: they land in the enterprise portal.
        if getattr(self.request.user, "kind", None) == "enterprise":
            return reverse("employers:portal")
        if getattr(self.request.user, "kind", None) == "laborer":  # 劳动者自助服务 (bangfu/selfservice)
            return reverse("selfservice:home")
        return super().get_default_redirect_url()


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@staff_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, initial={"name": user.name, "phone": user.phone})
    if request.method == "POST" and form.is_valid():
        actions.update_own_profile(user, **form.cleaned_data)
        messages.success(request, "个人资料已保存。")
        return redirect("accounts:profile")
    token = Token.objects.filter(user=user).first()
    return render(request, "accounts/profile.html", {"form": form, **_token_context(token), "nav": "profile"})


def _token_context(token) -> dict:
    expires = token_expires_at(token) if token else None
    return {
        "token": token,
        "token_expires": expires,
        "token_expired": expires is not None and expires <= timezone.now(),
        "token_days": settings.BANGFU_API_TOKEN_DAYS,
    }


@staff_required
@require_POST
def token_issue(request):
    token = actions.issue_token(request.user)
    messages.success(request, "已生成新的接口令牌，请妥善保存；旧令牌已失效。")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": ProfileForm(initial={"name": request.user.name, "phone": request.user.phone}),
            **_token_context(token),
            "show_token": True,
            "nav": "profile",
        },
    )


@staff_required
@require_POST
def token_revoke(request):
    actions.revoke_token(request.user)
    messages.success(request, "接口令牌已撤销。")
    return redirect("accounts:profile")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_own_password(
                request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                _form_errors(form, exc)
            else:
                form.add_error("new_password1", exc.messages)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("employers:portal" if request.user.kind == "enterprise" else "dashboard:home")
    return render(request, "accounts/password_change.html", {"form": form, "nav": "profile"})


def _require_manager(user: User) -> None:
    if not user.can_manage_users:
        raise PermissionDenied("您没有用户管理权限。")


def _managed_user(request, pk: int) -> User:
    """A user of the actor's subtree (404 outside it) that the actor may manage (403 otherwise)."""
    _require_manager(request.user)
    user = get_object_or_404(User.objects.for_user(request.user).select_related("area"), pk=pk)
    return user


@staff_required
def user_list(request):
    _require_manager(request.user)
    users = User.objects.for_user(request.user).staff().select_related("area")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(name__contains=q))
    if role := request.GET.get("role"):
        users = users.filter(role=role)
    if (active := request.GET.get("active")) in {"1", "0"}:
        users = users.filter(is_active=active == "1")
    if area_code := request.GET.get("area", "").strip():
        from bangfu.areas.models import Area

        area = Area.objects.in_scope(request.user, area_code)
        if area is None:
            messages.error(request, f"区划代码“{area_code}”不存在，或不在您的管辖区域内。")
            users = users.none()
        else:
            users = users.for_area(area)
    context = paginate(request, users.order_by("area_id", "username"))
    context.update({"nav": "users", "roles": Role.choices, "filters": request.GET})
    return render(request, "accounts/user_list.html", context)


@staff_required
def user_create(request):
    _require_manager(request.user)
    form = UserForm(request.POST or None, actor=request.user, initial={"area": request.user.area.short_code})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.create_staff_user(
                request.user,
                username=data["username"],
                password=data["password"],
                area=data["area"],
                name=data["name"],
                phone=data["phone"],
                can_manage_users=data["can_manage_users"],
                can_view_sensitive=data["can_view_sensitive"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已新增用户 {user}。")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "nav": "users", "creating": True})


@staff_required
def user_detail(request, pk: int):
    target = _managed_user(request, pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "nav": "users",
            "manageable": request.user.can_manage(target),
            "reset_form": PasswordResetForm(),
        },
    )


@staff_required
def user_edit(request, pk: int):
    target = _managed_user(request, pk)
    if not request.user.can_manage(target):
        raise PermissionDenied("您不能修改该用户。")
    initial = {
        "username": target.username,
        "name": target.name,
        "phone": target.phone,
        "area": target.area.short_code,
        "can_manage_users": target.can_manage_users,
        "can_view_sensitive": target.can_view_sensitive,
    }
    form = UserForm(request.POST or None, actor=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_staff_user(
                request.user,
                target,
                name=data["name"],
                phone=data["phone"],
                area=data["area"],
                can_manage_users=data["can_manage_users"],
                can_view_sensitive=data["can_view_sensitive"]
                if request.user.can_view_sensitive
                else target.can_view_sensitive,
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "用户信息已保存。")
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_form.html", {"form": form, "nav": "users", "target": target})


@staff_required
@require_POST
def user_set_active(request, pk: int):
    target = _managed_user(request, pk)
    active = request.POST.get("active") == "1"
    actions.set_user_active(request.user, target, active)
    messages.success(request, f"已{'启用' if active else '停用'}用户 {target}。")
    return redirect("accounts:user_detail", pk=target.pk)


@staff_required
@require_POST
def user_reset_password(request, pk: int):
    target = _managed_user(request, pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            actions.reset_password(request.user, target, form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error("password", exc.messages)
        else:
            messages.success(request, f"已重置 {target} 的密码，对方下次登录时须修改。")
            return redirect("accounts:user_detail", pk=target.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "nav": "users",
            "manageable": request.user.can_manage(target),
            "reset_form": form,
        },
        status=400,
    )


@staff_required
@require_POST
def user_reveal_phone(request, pk: int):
    """Shows a user's whole phone number to those allowed, and audits the showing."""
    target = _managed_user(request, pk)
    if not request.user.can_view_sensitive:
        raise PermissionDenied("您没有查看完整敏感信息的权限。")
    record(Action.VIEW_SENSITIVE, actor=request.user, obj=target, message="查看用户完整联系电话")
    return HttpResponse(format_html('<span class="mono">{}</span>', target.phone or "（未填写）"))
