"""Forms of the posts pages: a new post, putting a holder on a post, ending a spell, closing a post, and
uploading a posts or duty file."""

from pathlib import Path

from django import forms
from django.utils import timezone

from bangfu.core.forms import StyledFormMixin
from bangfu.posts.models import ImportKind, PostType

EXTENSIONS = (".xlsx", ".xls", ".csv")
DATE = forms.DateInput(attrs={"type": "date"})


class PostForm(StyledFormMixin, forms.Form):
    area = forms.CharField(label="所在村（乡镇）区划代码", max_length=12, help_text="村 12 位或乡镇 9 位代码")
    number = forms.CharField(label="岗位编号", max_length=40, help_text="在县内唯一")
    kind = forms.ChoiceField(label="岗位类型", choices=PostType.choices)
    title = forms.CharField(label="岗位名称", max_length=100)
    duties = forms.CharField(
        label="岗位职责", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    host_unit = forms.CharField(label="用工（管理）单位", max_length=100, required=False)
    opened_on = forms.DateField(label="设岗日期", widget=DATE, initial=timezone.localdate)


class HolderForm(StyledFormMixin, forms.Form):
    id_number = forms.CharField(
        label="证件号码", max_length=18, help_text="在岗人员的身份证号码（须在名册中）"
    )
    started_on = forms.DateField(label="上岗日期", widget=DATE, initial=timezone.localdate)


class EndForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(label="离岗日期", widget=DATE, initial=timezone.localdate)


class CloseForm(StyledFormMixin, forms.Form):
    closed_on = forms.DateField(label="撤岗日期", widget=DATE, initial=timezone.localdate)


class ImportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="文件类型", choices=ImportKind.choices)
    file = forms.FileField(label="文件", help_text="Excel（.xlsx、.xls）或 CSV 文件，列见《数据交换说明》。")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError("只能上传 .xlsx、.xls 或 .csv 文件。")
        return upload
