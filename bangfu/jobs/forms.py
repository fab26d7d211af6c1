"""Job forms: one job (staff pages and the enterprise portal), the jobs file upload, a suitability rule."""

from pathlib import Path

from django import forms
from django.urls import reverse
from django.utils import timezone

from bangfu.areas.models import Area, normalize_code
from bangfu.core.forms import StyledFormMixin
from bangfu.jobs.models import Job, Occupation
from bangfu.jobs.occupations import default_index

IMPORT_EXTENSIONS = (".xlsx", ".xls", ".csv")
SUITABILITY_CHOICES = [("auto", "按规则自动判定"), ("yes", "适合（人工设定）"), ("no", "不适合（人工设定）")]
BOARD_CHOICES = [("", "未说明"), ("yes", "包吃住"), ("no", "不包吃住")]


class JobForm(StyledFormMixin, forms.ModelForm):
    """The §2 fields of one job. Employers are those the user may post for; the occupation is a code,
    inferred from the title when left empty."""

    occupation_code = forms.CharField(
        label="职业代码",
        required=False,
        help_text="职业分类大典细类代码，如 6-05-01-03；留空则按岗位名称自动推断。",
    )
    area_code = forms.CharField(
        label="工作地点区划代码",
        help_text="6、9 或 12 位区划代码，如 433124102（龙潭镇）、440112（广州市黄埔区）。",
        widget=forms.TextInput(attrs={"id": "id_area"}),
    )
    board = forms.ChoiceField(label="是否包吃住", choices=BOARD_CHOICES, required=False)
    suitability = forms.ChoiceField(
        label="适合低技能脱贫劳动力",
        choices=SUITABILITY_CHOICES,
        initial="auto",
        help_text="默认按规则（学历、技能要求、职业类别）判定；人工设定后不再自动改变。",
    )

    class Meta:
        model = Job
        fields = [
            "employer",
            "number",
            "title",
            "openings",
            "wage_min",
            "wage_max",
            "age_min",
            "age_max",
            "sex_required",
            "education_min",
            "skills_required",
            "deadline",
        ]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"sex_required": "性别要求", "education_min": "最低学历"}

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["employer"].empty_label = "请选择"
        order = ["employer", "number", "title", "occupation_code", "openings", "deadline", "area_code",
                 "wage_min", "wage_max", "age_min", "age_max", "sex_required", "education_min", "board",
                 "suitability", "skills_required"]  # fmt: skip
        self.order_fields(order)
        for name in ("sex_required", "education_min"):
            # Blank means 不限 here, not the generic "- 请选择 -".
            field = self.fields[name]
            field.choices = [("", "不限"), *[(v, label) for v, label in field.choices if v != ""]]
        # Typing a title asks for the occupation it would be coded as (jobs/_occupation_suggest.html).
        self.fields["title"].widget.attrs.update(
            {
                "hx-get": reverse("jobs:occupation_suggest"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#occupation-suggest",
                "autocomplete": "off",
            }
        )
        self.fields["occupation_code"].widget.attrs.update(
            {"placeholder": "如 6-05-01-03", "autocomplete": "off"}
        )
        job = self.instance
        if not job.pk:
            self.fields["number"].required = False
            self.fields["number"].help_text = "本单位内部的岗位编号；留空则自动编号。"
        else:
            self.fields["employer"].disabled = True
            self.fields["number"].disabled = True
            self.initial.setdefault("occupation_code", job.occupation_id or "")
            self.initial.setdefault("area_code", job.area_id)
            self.initial.setdefault(
                "board", "" if job.board_and_lodging is None else ("yes" if job.board_and_lodging else "no")
            )
            self.initial.setdefault(
                "suitability",
                "auto" if job.suits_low_skill_by_rule else ("yes" if job.suits_low_skill else "no"),
            )

    def clean_occupation_code(self):
        code = self.cleaned_data["occupation_code"].strip()
        if not code:
            return None
        if code not in set(default_index().codes) or not Occupation.objects.filter(pk=code).exists():
            raise forms.ValidationError("不是职业分类大典的细类代码（如 6-18-02-04）。")
        return code

    def clean_area_code(self):
        raw = self.cleaned_data["area_code"].strip()
        if not raw.isdigit() or len(raw) not in (6, 9, 12):
            raise forms.ValidationError("应为 6、9 或 12 位区划代码。")
        area = Area.objects.resolve(normalize_code(raw))
        if area is None:
            raise forms.ValidationError(f"区划代码“{raw}”不存在。")
        return area

    def clean(self):
        data = super().clean()
        for low, high, what in (("wage_min", "wage_max", "月薪"), ("age_min", "age_max", "年龄")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, f"{what}上限不能低于下限。")
        return data

    def apply(self) -> tuple[Job, bool | None, bool]:
        """The job with the form's values set; the manual suitability (None = by rule); infer or not."""
        job = self.instance
        data = self.cleaned_data
        if not job.pk:
            job.employer = data["employer"]
            job.number = data["number"].strip() or next_number(job.employer)
        for name in self.Meta.fields[2:]:
            setattr(job, name, data[name])
        job.area = data["area_code"]
        job.board_and_lodging = {"yes": True, "no": False}.get(data["board"])
        code = data["occupation_code"]
        infer = code is None
        if not infer:
            job.occupation_id = code
        manual = {"auto": None, "yes": True, "no": False}[data["suitability"]]
        return job, manual, infer


def next_number(employer) -> str:
    """A free job number of the employer for today: 20260315-1, 20260315-2, …"""
    prefix = f"{timezone.localdate():%Y%m%d}-"
    taken = set(
        Job.objects.filter(employer=employer, number__startswith=prefix).values_list("number", flat=True)
    )
    serial = len(taken) + 1
    while f"{prefix}{serial}" in taken:
        serial += 1
    return f"{prefix}{serial}"


class JobImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="岗位信息文件", help_text="Excel（.xlsx、.xls）或 CSV 文件，列见右侧说明中的《数据交换说明》。"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError("只能上传 .xlsx、.xls 或 .csv 文件。")
        return upload
