"""Forms of targets: one target (area, year, figure, value and the cumulative months), a split among the
areas below (one value per child, summed as typed), and the targets file."""

from pathlib import Path

from django import forms
from django.utils import timezone

from bangfu.core.forms import StyledFormMixin
from bangfu.exchange.spreadsheet import EXTENSIONS
from bangfu.targets import rows

MONTH_FIELDS = [f"m{month}" for month in range(1, 13)]


def figure_choices():
    from bangfu.stats.figures import FIGURES

    return [(f.key, f.name) for f in FIGURES]


def _count_field(label: str, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=required, min_value=0, max_value=rows.VALUE_LIMIT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "请填写。", "invalid": "应为整数。", "min_value": "不能小于 0。"},
    )  # fmt: skip


class TargetForm(StyledFormMixin, forms.Form):
    area = forms.ChoiceField(label="区域")
    year = forms.IntegerField(label="年度", min_value=rows.FIRST_YEAR, max_value=rows.LAST_YEAR)
    figure = forms.ChoiceField(label="指标")
    value = _count_field("年度目标", True)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]
        self.fields["figure"].choices = figure_choices()
        self.fields["year"].initial = timezone.localdate().year
        for month, name in zip(rows.MONTHS, MONTH_FIELDS, strict=True):
            self.fields[name] = _count_field(f"{month}累计", False)

    def monthly(self) -> list[int | None]:
        return [self.cleaned_data.get(name) for name in MONTH_FIELDS]

    def clean(self):
        data = super().clean()
        if data.get("value") is not None:
            for column, reason in rows.monthly_problems(data["value"], self.monthly()):
                self.add_error(MONTH_FIELDS[rows.MONTHS.index(column)], reason)
        return data


class SplitForm(StyledFormMixin, forms.Form):
    """One value per child area: `c_<code>`; a child left blank gets no target (and keeps one it has)."""

    def __init__(self, *args, children=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.children = list(children)
        for child in self.children:
            field = _count_field(child.name, False)
            field.initial = current.get(child.code)
            field.widget.attrs.update({"data-split-part": "1"})
            self.fields[f"c_{child.code}"] = field

    def parts(self) -> list[tuple[object, int]]:
        found = ((child, self.cleaned_data.get(f"c_{child.code}")) for child in self.children)
        return [(child, value) for child, value in found if value is not None]


class TargetImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="目标文件", help_text="Excel（.xlsx、.xls）或 CSV 文件，列见右侧说明中的《数据交换说明》。"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError("只能上传 .xlsx、.xls 或 .csv 文件。")
        return upload
