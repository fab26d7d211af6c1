"""The form for a new rule version: the kind's values, the effective date and the note."""

import re
from pathlib import Path

from django import forms
from django.db import models
from django.forms import modelform_factory
from django.utils import timezone

from bangfu.core.forms import StyledFormMixin

SEPARATORS = re.compile(r"[,，、;；\s]+")


class ListField(forms.CharField):
    """A list of short words or codes, typed separated by commas or 、."""

    def prepare_value(self, value):
        return "、".join(str(v) for v in value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [word for word in SEPARATORS.split(super().to_python(value) or "") if word]


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.JSONField):
        return ListField(
            label=model_field.verbose_name,
            required=not model_field.blank,
            help_text="多个用逗号或顿号分隔。"
            + (f"{model_field.help_text}" if model_field.help_text else ""),
        )
    return model_field.formfield(**kwargs)


class RuleForm(StyledFormMixin, forms.ModelForm):
    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day < timezone.localdate():
            raise forms.ValidationError(
                "生效日期不能早于今天：已生效的规则不能更改，只能新增今后生效的版本。"
            )
        return day


def rule_form_class(kind):
    return modelform_factory(
        kind.model,
        form=RuleForm,
        fields=["designation", "effective_from", *kind.fields, "note"],
        formfield_callback=_formfield,
        widgets={"effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
    )


IMPORT_EXTENSIONS = (".xlsx", ".xls", ".csv")
MAX_RULES_FILE = 2 * 1024 * 1024  # a rules file has a few hundred rows at most


class RulesFileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="政策规则文件",
        help_text=(
            "Excel（.xlsx、.xls）或 CSV 文件，列：规则、区域代码、生效日期、参数、值"
            "（可加“认定类别”“说明”列）。"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError("只能上传 .xlsx、.xls 或 .csv 文件。")
        if upload.size > MAX_RULES_FILE:
            raise forms.ValidationError("文件太大：政策规则文件不超过 2 MB。")
        return upload
