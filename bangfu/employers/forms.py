"""Employers ledger forms: one employer, an enterprise account, linking an account, a labor cooperation."""

from django import forms

from bangfu.areas.models import Area, normalize_code
from bangfu.core.forms import StyledFormMixin
from bangfu.employers.creditcode import CreditCodeError, parse_credit_code
from bangfu.employers.models import Employer
from bangfu.registry.rows import clean_phone


def area_from(raw: str, *, label: str) -> Area:
    raw = (raw or "").strip()
    try:
        code = normalize_code(raw)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from exc
    area = Area.objects.resolve(code)
    if area is None:
        raise forms.ValidationError(f"{label}“{raw}”不存在。")
    return area


class EmployerForm(StyledFormMixin, forms.ModelForm):
    area_code = forms.CharField(
        label="所在地区划代码",
        help_text="单位登记所在地（县、乡镇或村），须在您的管辖区域内。",
        widget=forms.TextInput(attrs={"id": "id_area", "inputmode": "numeric"}),
    )

    class Meta:
        model = Employer
        fields = [
            "credit_code",
            "name",
            "kind",
            "address",
            "industry",
            "contact_name",
            "contact_phone",
            "is_active",
            "note",
        ]
        help_texts = {"credit_code": "18 位，含校验位（GB 32100-2015）。"}

    def __init__(self, *args, show_phone: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["credit_code", "name", "kind", "area_code"])
        self.keep_phone = False
        if self.instance.pk:
            self.initial.setdefault("area_code", self.instance.area_id)
            if not show_phone and self.instance.contact_phone:
                # Users without the sensitive-data right never get the full number in the page.
                self.initial["contact_phone"] = ""
                self.fields["contact_phone"].help_text = "已登记，出于保护不显示；留空则不修改。"
                self.keep_phone = True

    def clean_credit_code(self):
        try:
            return parse_credit_code(self.cleaned_data["credit_code"])
        except CreditCodeError as exc:
            raise forms.ValidationError(f"统一社会信用代码{exc}") from exc

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if not phone:
            return self.instance.contact_phone if self.keep_phone else ""
        try:
            return clean_phone(phone)
        except ValueError as exc:
            raise forms.ValidationError("应为 11 位手机号码或带区号的固定电话。") from exc

    def clean_area_code(self):
        return area_from(self.cleaned_data["area_code"], label="区划代码")

    def apply(self) -> Employer:
        employer = self.instance
        for name in self.Meta.fields:
            setattr(employer, name, self.cleaned_data[name])
        employer.area = self.cleaned_data["area_code"]
        return employer


class EnterpriseAccountForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label="登录名", max_length=150)
    name = forms.CharField(label="姓名或称呼", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, help_text="至少 10 位，含字母和数字；首次登录须修改。"
    )


class LinkAccountForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label="已有企业账号的登录名", max_length=150)


class CooperationForm(StyledFormMixin, forms.Form):
    sending_code = forms.CharField(label="输出地区划代码", help_text="您辖区内的区域，如 4331（湘西州）。")
    receiving_code = forms.CharField(label="输入地区划代码", help_text="如 440112（广州市黄埔区）。")
    started_on = forms.DateField(
        label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="协作内容", max_length=200, required=False)

    def clean_sending_code(self):
        return area_from(self.cleaned_data["sending_code"], label="输出地")

    def clean_receiving_code(self):
        return area_from(self.cleaned_data["receiving_code"], label="输入地")
