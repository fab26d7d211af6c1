"""Forms of the training pages."""

from pathlib import Path

from django import forms
from django.utils import timezone

from bangfu.core.forms import StyledFormMixin
from bangfu.training.models import CertificateKind, NeedSource, ProviderKind, TrainingKind, YouthStatus

EXTENSIONS = (".xlsx", ".xls", ".csv")
DATE = forms.DateInput(attrs={"type": "date"})


class NeedForm(StyledFormMixin, forms.Form):
    id_number = forms.CharField(label="证件号码", max_length=18, help_text="须在您管辖区域的名册中")
    kind = forms.ChoiceField(label="培训类型", choices=TrainingKind.choices)
    occupation = forms.CharField(
        label="职业代码", max_length=12, required=False, help_text="职业分类大典代码，如 6-18-02-04"
    )
    source = forms.ChoiceField(
        label="来源", choices=[(v, v) for v in NeedSource.values if v != NeedSource.REGISTRY]
    )
    recorded_on = forms.DateField(label="登记日期", widget=DATE, initial=timezone.localdate)


class ProviderForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="机构名称", max_length=100)
    kind = forms.ChoiceField(label="机构类型", choices=ProviderKind.choices)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    contact = forms.CharField(label="联系人", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)


class CourseForm(StyledFormMixin, forms.Form):
    provider = forms.ChoiceField(label="培训机构")
    area = forms.CharField(label="组织县区划代码", max_length=12, help_text="县级 6 位或 12 位代码")
    number = forms.CharField(label="班级编号", max_length=40, help_text="在县内唯一")
    title = forms.CharField(label="班级名称", max_length=100)
    kind = forms.ChoiceField(label="培训类型", choices=TrainingKind.choices)
    occupation = forms.CharField(
        label="职业代码", max_length=12, required=False, help_text="职业分类大典代码"
    )
    place = forms.CharField(label="培训地点", max_length=100, required=False)
    starts_on = forms.DateField(label="开班日期", widget=DATE, initial=timezone.localdate)
    ends_on = forms.DateField(label="结业日期", widget=DATE)
    capacity = forms.IntegerField(label="计划人数", min_value=1, max_value=10000)
    days = forms.IntegerField(label="培训天数", min_value=1, max_value=366)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.pk, p.name) for p in providers]


class EnrolForm(StyledFormMixin, forms.Form):
    id_number = forms.CharField(label="证件号码", max_length=18, help_text="学员的身份证号码（须在名册中）")


class CompleteForm(StyledFormMixin, forms.Form):
    completed_on = forms.DateField(label="结业日期", widget=DATE, initial=timezone.localdate)
    days_attended = forms.IntegerField(label="出勤天数", min_value=0, max_value=366)
    certificate_kind = forms.ChoiceField(
        label="证书类型", choices=[("", "无"), *CertificateKind.choices], required=False
    )
    certificate_number = forms.CharField(label="证书编号", max_length=40, required=False)


class AttendanceForm(StyledFormMixin, forms.Form):
    days_attended = forms.IntegerField(label="出勤天数", min_value=0, max_value=366)


class YouthForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label="结果", choices=YouthStatus.choices)
    contacted_on = forms.DateField(label="联系日期", widget=DATE, initial=timezone.localdate)
    school = forms.CharField(label="就读院校", max_length=100, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="文件", help_text="Excel（.xlsx、.xls）或 CSV 文件，列见《数据交换说明》。")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError("只能上传 .xlsx、.xls 或 .csv 文件。")
        return upload
