"""Forms for login, profile, passwords and user management, all with Chinese messages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts

from bangfu.accounts.throttle import blocked_message, login_blocked
from bangfu.areas.models import Area, normalize_code
from bangfu.audit.context import client_ip
from bangfu.core.access import NO_AREA_MESSAGE, is_area_staff
from bangfu.core.forms import StyledFormMixin

PHONE_HELP = "手机号 11 位，或带区号的固定电话。"


def clean_phone_value(value: str) -> str:
    value = (value or "").strip().replace(" ", "").replace("－", "-")
    if not value:
        return ""
    digits = value.replace("-", "")
    if not digits.isdigit() or not (7 <= len(digits) <= 12):
        raise forms.ValidationError("联系电话格式不正确：" + PHONE_HELP)
    if len(digits) == 11 and digits.startswith("1") and digits[1] not in "3456789":
        raise forms.ValidationError("手机号码格式不正确。")
    return value


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误，请重新输入。注意密码区分大小写。",
        "inactive": "该账号已停用，请联系管理员。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"class": "form-control", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update(
            {"class": "form-control", "autocomplete": "current-password"}
        )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Enterprise accounts log in to the enterprise portal only (employers.views.enterprise_required).
        if not is_area_staff(user) and user.kind != "enterprise":
            raise forms.ValidationError(NO_AREA_MESSAGE, code="no_area")

    def clean(self):
        username = self.cleaned_data.get("username", "")
        if login_blocked(username, client_ip(self.request) if self.request else None):
            raise forms.ValidationError(blocked_message(), code="throttled")
        return super().clean()


class ProfileForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="姓名", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False, help_text=PHONE_HELP)

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data["phone"])


class PasswordChangeForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="<br>".join(password_validators_help_texts()),
    )
    new_password2 = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class AreaCodeField(forms.CharField):
    """An area code typed or picked by the user, resolved inside the user's own subtree."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "所属区域代码")
        kwargs.setdefault("help_text", "2、4、6、9 或 12 位区划代码，可在下方按名称搜索。")
        super().__init__(*args, **kwargs)
        self.user = None

    def clean(self, value):
        value = super().clean(value)
        try:
            code = normalize_code(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        area = Area.objects.for_user(self.user).filter(code=code).first() if self.user else None
        if area is None:
            raise forms.ValidationError(f"区划代码“{value}”不存在，或不在您的管辖区域内。")
        return area


class UserForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label="登录名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": "登录名只能包含字母、数字和 _ . @ + - 。"},
    )
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=20, required=False, help_text=PHONE_HELP)
    area = AreaCodeField()
    can_manage_users = forms.BooleanField(label="可管理本辖区用户", required=False)
    can_view_sensitive = forms.BooleanField(label="可查看完整身份证号、电话等敏感信息", required=False)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="用户首次登录后须修改密码。" + "<br>".join(password_validators_help_texts()),
    )

    def __init__(self, *args, actor, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].user = actor
        if editing:
            del self.fields["password"]
            self.fields["username"].disabled = True
        if not actor.can_view_sensitive:
            self.fields["can_view_sensitive"].disabled = True
        self.fields["area"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data["phone"])


class PasswordResetForm(StyledFormMixin, forms.Form):
    password = forms.CharField(
        label="新的临时密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="用户下次登录时须修改密码。" + "<br>".join(password_validators_help_texts()),
    )
