"""Forms of 劳动者自助服务: big fields a phone keyboard fills (numeric keypad for digits)."""

from django import forms
from django.core.exceptions import ValidationError

from bangfu.core.forms import StyledFormMixin
from bangfu.referrals.models import LABORER_REASONS, LaborerAnswer
from bangfu.registry import vocab
from bangfu.selfservice.actions import clean_phone

NUMERIC = {"inputmode": "numeric", "autocomplete": "one-time-code"}


class PhoneForm(StyledFormMixin, forms.Form):
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "11 位手机号"}
        ),
    )

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={**NUMERIC, "placeholder": "6 位数字", "pattern": "[0-9]*"}),
        error_messages={"min_length": "验证码是 6 位数字。", "required": "请输入短信验证码。"},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not (code.isascii() and code.isdigit()):
            raise ValidationError("验证码是 6 位数字。")
        return code


class WhoForm(StyledFormMixin, forms.Form):
    """Who one is, on a phone several people share: choose, then prove it with the ID's last four."""

    person = forms.TypedChoiceField(label="您是", coerce=int, widget=forms.RadioSelect)
    id_tail = forms.CharField(
        label="您的身份证号码后四位",
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "例如 123X"}),
        error_messages={"min_length": "请输入身份证号码的后四位。", "required": "请输入身份证号码的后四位。"},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = choices
        self.fields["person"].widget.attrs["class"] = "form-check-input"


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.ChoiceField(label="您的回复", choices=LaborerAnswer.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label="不考虑的原因",
        required=False,
        choices=[("", "请选择")] + [(r.value, r.label) for r in LABORER_REASONS],
    )
    note = forms.CharField(label="想对工作人员说的话（可不填）", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if data.get("answer") == LaborerAnswer.DECLINED and not data.get("reason"):
            self.add_error("reason", "选择“不考虑”时请选择原因。")
        return data


WANTS = [("", "请选择"), ("1", "想找工作"), ("0", "暂时不想找工作")]


class WishesForm(StyledFormMixin, forms.Form):
    wants_work = forms.TypedChoiceField(
        label="就业意愿", choices=WANTS, required=False, coerce=lambda v: v == "1", empty_value=None
    )
    job_wish = forms.CharField(
        label="想做的工作（工种）", max_length=100, required=False,
        widget=forms.TextInput(attrs={"placeholder": "例如 普工、保洁、厨师"}),
    )  # fmt: skip
    desired_region = forms.ChoiceField(
        label="想去哪里务工",
        required=False,
        choices=[("", "请选择")] + [(r, r) for r in vocab.DESIRED_REGIONS],
    )
    expected_wage = forms.IntegerField(
        label="期望月工资（元）", required=False, min_value=0, max_value=200000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    training_wish = forms.CharField(
        label="想参加的培训", max_length=200, required=False,
        widget=forms.TextInput(attrs={"placeholder": "例如 电工、育婴员；不需要可不填"}),
    )  # fmt: skip

    @classmethod
    def initial_for(cls, person) -> dict:
        wants = "" if person.wants_work is None else ("1" if person.wants_work else "0")
        return {
            "wants_work": wants,
            "job_wish": person.job_wish,
            "desired_region": person.desired_region,
            "expected_wage": person.expected_wage,
            "training_wish": person.training_wish,
        }
