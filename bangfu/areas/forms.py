"""Forms of the areas app: a designation (认定) added, changed, ended or voided, and the designations file."""

from pathlib import Path

from django import forms

from bangfu.areas.kinds import DesignationKind
from bangfu.areas.models import Area, normalize_code
from bangfu.core.forms import StyledFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EXTENSIONS = (".xlsx", ".xls", ".csv")


class DesignationFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="认定类别", required=False, choices=[("", "全部类别"), *DesignationKind.choices]
    )
    on = forms.DateField(
        label="当日有效", required=False, widget=DATE, help_text="不填则列出全部（含已终止）"
    )
    q = forms.CharField(
        label="区域", required=False, widget=forms.TextInput(attrs={"placeholder": "名称或代码"})
    )


class DesignationForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label="区划代码", max_length=12, help_text="县 6 位、村（社区）12 位；须是您的下级区域。"
    )
    kind = forms.ChoiceField(label="认定类别", choices=DesignationKind.choices)
    starts_on = forms.DateField(label="起始日期", widget=DATE)
    ends_on = forms.DateField(
        label="终止日期", required=False, widget=DATE, help_text="自该日起不再具有此认定；空为至今有效。"
    )
    basis = forms.CharField(label="认定依据（文号）", max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_code(self):
        try:
            code = normalize_code(self.cleaned_data["code"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        area = Area.objects.for_user(self.user).filter(code=code).first()
        if area is None:
            raise forms.ValidationError("您的管辖区域内没有这个区划代码。")
        return area


class DesignationChangeForm(StyledFormMixin, forms.Form):
    starts_on = forms.DateField(label="起始日期", widget=DATE)
    ends_on = forms.DateField(
        label="终止日期", required=False, widget=DATE, help_text="自该日起不再具有此认定；空为至今有效。"
    )
    basis = forms.CharField(label="认定依据（文号）", max_length=200, required=False)
    reason = forms.CharField(label="修改原因", max_length=200, help_text="记入修改记录。")


class DesignationEndForm(StyledFormMixin, forms.Form):
    ends_on = forms.DateField(label="终止日期", widget=DATE, help_text="自该日起不再具有此认定。")
    reason = forms.CharField(label="原因", max_length=200, required=False)


class DesignationVoidForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="作废原因", max_length=200, help_text="如“录入错误”。作废的认定保留在记录中，不再生效。"
    )


class DesignationImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="区域认定名单文件",
        help_text="Excel（.xlsx、.xls）或 CSV 文件，列见右侧说明中的《数据交换说明》。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError("只能上传 .xlsx、.xls 或 .csv 文件。")
        return upload
