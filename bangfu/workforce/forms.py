"""The enterprise portal's forms of 企业用工报送. They check with workforce/rows.py, as the file import does,
so a value is refused with the same reason either way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django import forms
from django.utils import timezone

from bangfu.core.forms import StyledFormMixin
from bangfu.workforce import rows
from bangfu.workforce.importer import KINDS

IMPORT_EXTENSIONS = (".xlsx", ".xls", ".csv")
MAX_FILE = 2 * 1024 * 1024
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The form's field of each column, so a row error lands on its field.
HIRE_FIELDS = {
    rows.ID: "id_number",
    rows.NAME: "name",
    rows.STARTED: "started_on",
    rows.JOB: "job_title",
    rows.WAGE: "monthly_wage",
    rows.WORK_AREA: "work_area_code",
}


class EmployerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class HireForm(StyledFormMixin, forms.Form):
    employer = EmployerChoice(label="用人单位", queryset=None, empty_label=None)
    id_number = forms.CharField(
        label="证件号码", max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    name = forms.CharField(label="姓名", max_length=60)
    started_on = forms.DateField(label="入职日期", widget=DATE)
    job_title = forms.CharField(label="岗位（工种）", max_length=50, required=False)
    monthly_wage = forms.CharField(
        label="月工资（元）", required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    work_area_code = forms.CharField(
        label="工作地区划代码",
        required=False,
        help_text="不填则为本单位所在地；在外地工作的填工作地的 6、9 或 12 位区划代码。",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.row = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        cells = {column: data.get(name) for column, name in HIRE_FIELDS.items()}
        self.row, errors = rows.clean_hire_row(cells, today=timezone.localdate())
        for error in errors:
            self.add_error(HIRE_FIELDS.get(error.column), error.message)
        return data


class LeaveForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(label="离职日期（最后工作日）", widget=DATE)
    end_reason = forms.ChoiceField(
        label="离职原因", choices=[("", "请选择")] + [(r, r) for r in rows.END_REASONS]
    )

    def clean_ended_on(self):
        day = self.cleaned_data["ended_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("不能晚于今天。")
        return day


class MonthForm(forms.Form):
    """Which employer's month the wage sheet shows (GET)."""

    employer = EmployerChoice(label="用人单位", queryset=None, empty_label=None, required=False)
    month = forms.CharField(label="月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if field is self.fields["employer"] else "form-control"
            )

    def chosen(self, employers):
        """(employer, first day of the month): the valid choice, or the first employer and last month."""
        today = timezone.localdate()
        default = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        if not self.is_valid():
            return employers.first(), default
        errors = []
        month = rows.check_month(self.cleaned_data.get("month") or "", errors, today=today)
        return self.cleaned_data.get("employer") or employers.first(), month or default


class ImportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="文件内容", choices=list(KINDS.items()))
    employer = EmployerChoice(label="用人单位", queryset=None, empty_label=None)
    file = forms.FileField(label="文件", help_text="Excel（.xlsx、.xls）或 CSV 文件，列见右侧说明。")

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError("只能上传 .xlsx、.xls 或 .csv 文件。")
        if upload.size > MAX_FILE:
            raise forms.ValidationError("文件太大：一次不超过 2 MB（可分几个文件导入）。")
        return upload
