"""Employment-record forms: a spell of work entered by hand (务工地域 derived from the work area), ending
one (离职日期 and 离职原因), and settling a 名册与就业记录不一致 entry."""

from pathlib import Path

from django import forms
from django.utils import timezone

from bangfu.areas.models import Area, normalize_code
from bangfu.core.forms import StyledFormMixin
from bangfu.employers.models import Employer
from bangfu.employment.models import EmploymentRecord, EndReason
from bangfu.exchange.spreadsheet import EXTENSIONS

DATE = {"type": "date"}


class EmploymentForm(StyledFormMixin, forms.ModelForm):
    employer = forms.ModelChoiceField(
        label="用人单位（台帐中的）", queryset=Employer.objects.none(), required=False,
        help_text="台帐中没有的单位，填写下面的单位名称。",
    )  # fmt: skip
    work_area_code = forms.CharField(
        label="工作地区划代码",
        help_text="工作所在地的区划代码（2、4、6、9 或 12 位，如 440112 广州市黄埔区、44 广东省），"
        "可在下方按名称查找；务工地域（县内、省内县外、省外）由它和本人所在村得出。",
        widget=forms.TextInput(attrs={"id": "id_area", "inputmode": "numeric"}),
    )
    end_reason = forms.ChoiceField(
        label="离职原因", choices=[("", "—"), *EndReason.choices], required=False, help_text="已离职时填写。"
    )

    class Meta:
        model = EmploymentRecord
        fields = [
            "employer", "employer_name", "credit_code", "work_area_code", "channel", "started_on", "ended_on",
            "end_reason", "monthly_wage",
        ]  # fmt: skip
        widgets = {
            "started_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(is_active=True).order_by("name")
        self.fields["channel"].required = True
        self.fields["started_on"].initial = timezone.localdate

    def clean_work_area_code(self):
        raw = self.cleaned_data["work_area_code"].strip()
        if not raw.isdigit() or len(raw) not in (2, 4, 6, 9, 12):
            raise forms.ValidationError("应为 2、4、6、9 或 12 位区划代码。")
        area = Area.objects.resolve(normalize_code(raw))
        if area is None:
            raise forms.ValidationError(f"区划代码“{raw}”不存在。")
        return area

    def clean(self):
        data = super().clean()
        if not data.get("employer") and not data.get("employer_name"):
            self.add_error("employer_name", "请选择台帐中的用人单位，或填写单位名称。")
        if data.get("end_reason") and not data.get("ended_on"):
            self.add_error("end_reason", "只有填写了离职日期，才能填写离职原因。")
        return data

    def save(self, commit=True):
        record = super().save(commit=False)
        record.work_area = self.cleaned_data["work_area_code"]
        record.end_reason = self.cleaned_data.get("end_reason") or ""
        if commit:
            record.save()
        return record


class EndForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(
        label="离职日期",
        initial=timezone.localdate,
        help_text="最后一天在岗的日期。",
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    reason = forms.ChoiceField(label="离职原因", choices=[("", "—"), *EndReason.choices])
    note = forms.CharField(label="说明", max_length=100, required=False)


class SettleForm(StyledFormMixin, forms.Form):
    """名册与就业记录不一致: end the record in force (date and reason) or keep it (a reason why)."""

    decision = forms.ChoiceField(
        label="处理",
        choices=[("", "—"), ("end", "结束这条就业记录（名册是对的）"), ("keep", "保留就业记录（名册有误）")],
    )
    ended_on = forms.DateField(
        label="离职日期",
        required=False,
        help_text="结束记录时填写：最后一天在岗的日期。",
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    reason = forms.ChoiceField(label="离职原因", choices=[("", "—"), *EndReason.choices], required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "end":
            if not data.get("ended_on"):
                self.add_error("ended_on", "结束记录时请填写离职日期。")
            if not data.get("reason"):
                self.add_error("reason", "结束记录时请选择离职原因。")
        if data.get("decision") == "keep" and not (data.get("note") or "").strip():
            self.add_error("note", "保留记录时请说明理由（如：已电话核实仍在岗）。")
        return data


class EmploymentImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="就业信息文件", help_text="Excel（.xlsx、.xls）或 CSV 文件，列见右侧说明中的《数据交换说明》。"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError("只能上传 .xlsx、.xls 或 .csv 文件。")
        return upload
