"""Data comparison forms: a new run (file, type, threshold, automatic changes), a decision, a flag."""

from pathlib import Path

from django import forms

from bangfu.compare.models import AUTO_APPLICABLE
from bangfu.compare.sources import TYPE_NAMES
from bangfu.core.forms import StyledFormMixin

EXTENSIONS = (".xlsx", ".xls", ".csv")


class RunForm(StyledFormMixin, forms.Form):
    source_type = forms.ChoiceField(
        label="比对数据类型",
        choices=[("", "请选择"), *TYPE_NAMES.items()],
        error_messages={"required": "请选择比对数据类型。"},
    )
    file = forms.FileField(
        label="数据文件",
        help_text="支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）；列名见右侧说明中的《数据交换说明》。",
        error_messages={"required": "请选择要比对的文件。", "empty": "上传的文件是空的。"},
    )
    threshold = forms.FloatField(
        label="模糊匹配阈值",
        initial=0.9,
        min_value=0.5,
        max_value=0.999,
        help_text="证件号码缺失或有误的行按姓名、出生日期等模糊匹配，概率不低于此值才算匹配。",
        error_messages={
            "min_value": "阈值不能低于 0.5。",
            "max_value": "阈值应小于 1。",
            "invalid": "请输入 0.5 到 1 之间的小数。",
        },
    )
    auto_apply = forms.MultipleChoiceField(
        label="自动应用的变更（默认不自动应用，全部由人工确认）",
        choices=[(c.value, c.label) for c in AUTO_APPLICABLE],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选的变更类型比对后直接写入名册（记为比对人接受、自动应用）；仅限证件号码精确匹配的行。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError("只能上传 .xlsx、.xls 或 .csv 文件。")
        return upload
