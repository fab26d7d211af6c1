"""Registry forms: one person's §1 fields, checked by the import's own row validation; file upload; window
check."""

import datetime as dt
from pathlib import Path

from django import forms

from bangfu.core.forms import StyledFormMixin
from bangfu.core.idnumber import IdNumberError, parse_id_number
from bangfu.registry import claims, vocab
from bangfu.registry.importer import area_lookup
from bangfu.registry.rows import COLUMN_FIELDS, COUNTY, FIELD_COLUMNS, TOWNSHIP, VILLAGE, clean_row

IMPORT_EXTENSIONS = (".xlsx", ".xls", ".csv")
STATUS_FIELDS = (
    "is_deceased", "died_on", "disability_category", "disability_grade", "pension_insurance",
    "pension_status", "medical_insured_year", "medical_status",
)  # fmt: skip
# Health data (个人敏感信息): hidden from users who may not see sensitive data.
HEALTH_FIELDS = ("health", "disability_category", "disability_grade")
# The values data comparison writes (EXCHANGE.md §3), offered for manual edits too.
STATUS_CHOICES = {
    "disability_category": vocab.DISABILITY_CATEGORIES,
    "disability_grade": vocab.DISABILITY_GRADES,
    "pension_insurance": vocab.PENSION_KINDS,
    "pension_status": vocab.PENSION_STATUSES,
    "medical_status": vocab.MEDICAL_STATUSES,
}


def _select(values, empty="—"):
    return forms.Select(choices=[("", empty), *vocab.choices(values)])


def _text(label, *, required=False, widget=None, help_text="", **attrs):
    """Every field is plain text at the form level: the values are checked by `rows.clean_row`, so a typed
    value gets exactly the message the same value gets in an imported file."""
    field = forms.CharField(label=label, required=False, widget=widget, help_text=help_text, strip=False)
    field.widget.attrs.update(attrs)
    field.show_required = required
    return field


class PersonForm(StyledFormMixin, forms.Form):
    """One row of EXCHANGE.md §1; field names are the record's, see rows.FIELD_COLUMNS."""

    # 户信息
    village_code = _text(
        "行政区划代码（村）",
        required=True,
        help_text="12 位村级区划代码，可在下方按村名查找。",
        id="id_area",  # the id the shared area picker fills in
        inputmode="numeric",
        autocomplete="off",
        maxlength=12,
    )
    household_number = _text("户编号", required=True, maxlength=40)
    relation = _text("与户主关系", required=True, widget=_select(vocab.RELATIONS, "请选择"))
    household_type = _text("户类型", widget=_select(vocab.HOUSEHOLD_TYPES))
    monitoring_type = _text(
        "监测对象类型", widget=_select(vocab.MONITORING_TYPES), help_text="仅户类型为“监测户”时填写。"
    )
    poverty_exit_year = _text("脱贫年度", inputmode="numeric", help_text="2014–2020。")
    income_per_capita = _text("人均纯收入（元/年）", inputmode="decimal")
    is_dibao = _text("是否低保", widget=_select(vocab.YES_NO))
    is_tekun = _text("是否特困", widget=_select(vocab.YES_NO))
    is_relocated = _text("是否易地搬迁", widget=_select(vocab.YES_NO))
    # 基本信息
    name = _text("姓名", required=True, maxlength=50)
    id_number = _text(
        "证件号码",
        required=True,
        help_text="18 位公民身份号码；15 位旧号自动升为 18 位。",
        autocomplete="off",
        maxlength=20,
    )
    sex = _text("性别", widget=_select(vocab.SEXES), help_text="可不填；填写时须与证件号码一致。")
    birth_date = _text(
        "出生日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="可不填；填写时须与证件号码一致。",
    )
    ethnicity = _text("民族", widget=_select(vocab.ETHNICITIES))
    education = _text("文化程度", widget=_select(vocab.EDUCATIONS))
    student_status = _text("在校生状况", widget=_select(vocab.STUDENT_STATUSES))
    health = _text("健康状况", widget=_select(vocab.HEALTH))
    phone = _text("联系电话", inputmode="tel", help_text="11 位手机号码，或带区号的固定电话。")
    # 劳动力信息与就业意向
    labor_skill = _text("劳动技能", widget=_select(vocab.LABOR_SKILLS))
    employment_status = _text("务工状态", widget=_select(vocab.EMPLOYMENT_STATUSES))
    work_months = _text("务工时间(月)", inputmode="numeric", help_text="0–12。")
    job_wish = _text("就业意向", help_text="职业名称或职业分类大典代码，也可填写文字。")
    desired_region = _text(
        "意向务工地", widget=_select(vocab.DESIRED_REGIONS), help_text="能接受的最远范围。"
    )
    expected_wage = _text("期望月薪（元）", inputmode="numeric")
    training_wish = _text("培训意愿", help_text="不填或填“无”表示没有培训意愿。")
    skills = _text("技能特长")
    wants_work = _text("就业意愿", widget=_select(vocab.YES_NO, "未询问"), help_text="劳动力是否想找工作。")
    # 社会保障与身份: not §1 columns; kept true by data comparison (bangfu/compare) or edited here.
    is_deceased = forms.ChoiceField(label="是否已故", choices=[("否", "否"), ("是", "是")], required=False)
    died_on = forms.DateField(
        label="死亡日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "不是有效日期，应写成如 2024-05-31"},
    )
    disability_category = forms.ChoiceField(label="残疾类别", required=False)
    disability_grade = forms.ChoiceField(label="残疾等级", required=False)
    pension_insurance = forms.ChoiceField(label="养老保险险种", required=False)
    pension_status = forms.ChoiceField(label="养老保险参保状态", required=False)
    medical_insured_year = forms.IntegerField(
        label="医保参保年度",
        required=False,
        error_messages={"invalid": "应为年份，如 2025"},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    medical_status = forms.ChoiceField(label="医保参保状态", required=False)

    GROUPS = (
        ("基本信息", ("name", "id_number", "sex", "birth_date", "ethnicity", "education", "student_status",
                      "health", "phone")),
        ("劳动力信息与就业意向", ("labor_skill", "employment_status", "work_months", "job_wish",
                                  "desired_region", "expected_wage", "training_wish", "skills",
                                  "wants_work")),
        ("户信息", ("village_code", "household_number", "relation", "household_type", "monitoring_type",
                    "poverty_exit_year", "income_per_capita", "is_dibao", "is_tekun", "is_relocated")),
        ("社会保障与身份", STATUS_FIELDS),
    )  # fmt: skip

    def __init__(self, *args, user, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.person, self.record = user, person, None
        # 务工状态 and 务工时间(月) are derived from the employment records where an app keeps them
        # (registry/claims.py): shown on the form, not typed.
        self.status_derived = claims.keeper() is not None
        if self.status_derived:
            for name in claims.KEPT_FIELDS:
                del self.fields[name]
        # Editing: the ID number is the person's key across the platform and cannot change. Users who may
        # not see sensitive data get neither the ID nor the phone into the page; they may replace the phone.
        self.keeps_phone = person is not None and not user.can_view_sensitive
        # Health and disability likewise: not shown to them, and an empty choice keeps the current value.
        self.keeps_health = self.keeps_phone
        if person is not None:
            del self.fields["id_number"]
            for name in STATUS_FIELDS:
                value = getattr(person, name)
                self.initial.setdefault(name, ("是" if value else "否") if name == "is_deceased" else value)
        if self.keeps_phone:
            self.initial["phone"] = ""
            if person.phone:
                self.fields[
                    "phone"
                ].help_text = f"当前号码 {person.masked_phone}；不修改请留空，修改请填写新号码。"
        keep = "不修改（当前值不显示）"
        for name, values in STATUS_CHOICES.items():
            empty = keep if self.keeps_health and name in HEALTH_FIELDS else "—"
            self.fields[name].choices = [("", empty), *vocab.choices(values)]
        if self.keeps_health:
            self.fields["health"].widget.choices = [("", keep), *vocab.choices(vocab.HEALTH)]
            for name in HEALTH_FIELDS:
                self.initial[name] = ""
                self.fields[name].help_text = "健康和残疾信息您无权查看；不修改请留空。"
        self.fields["died_on"].widget.attrs["max"] = dt.date.today().isoformat()

    def groups(self):
        return [
            (title, [self[name] for name in names if name in self.fields]) for title, names in self.GROUPS
        ]

    def clean(self):
        data = super().clean()
        cells = {FIELD_COLUMNS[name]: data.get(name, "") for name in self.fields if name in FIELD_COLUMNS}
        if self.person is not None:
            cells[FIELD_COLUMNS["id_number"]] = self.person.id_number
        if self.keeps_phone and not str(data.get("phone", "")).strip():
            cells[FIELD_COLUMNS["phone"]] = self.person.phone
        if self.keeps_health and not data.get("health"):
            cells[FIELD_COLUMNS["health"]] = self.person.health
        record, errors = clean_row(cells, area_lookup(self.user.area))
        for error in errors:
            column = error.column
            field = "village_code" if column in (COUNTY, TOWNSHIP, VILLAGE) else COLUMN_FIELDS.get(column)
            self.add_error(field if field in self.fields else None, error.message)
        self.record = record
        self._check_status(data, record.birth_date if record else None)
        return data

    def _check_status(self, data, birth: dt.date | None) -> None:
        died = data.get("died_on")
        if died and data.get("is_deceased") != "是":
            self.add_error("died_on", "填写了死亡日期，请同时把“是否已故”选为“是”。")
        elif died and died > dt.date.today():
            self.add_error("died_on", "死亡日期不能晚于今天。")
        elif died and birth and died < birth:
            self.add_error("died_on", "死亡日期不能早于出生日期。")
        category, grade = data.get("disability_category"), data.get("disability_grade")
        if bool(category) != bool(grade):
            self.add_error(
                "disability_grade" if category else "disability_category", "残疾类别和等级应同时填写。"
            )
        insured = data.get("pension_status") not in ("", None, vocab.UNINSURED)
        if insured and not data.get("pension_insurance"):
            self.add_error("pension_insurance", "填写了养老保险参保状态，请同时选择险种。")
        year = data.get("medical_insured_year")
        if year is not None and not 1990 <= year <= dt.date.today().year + 1:
            self.add_error("medical_insured_year", f"应在 1990–{dt.date.today().year + 1} 之间。")
        if data.get("medical_status") and year is None:
            self.add_error("medical_insured_year", "填写了医保参保状态，请同时填写参保年度。")

    def status_values(self) -> dict:
        """The 社会保障与身份 fields to set on the person (those a user without the right to see health data
        left empty keep their value)."""
        data = self.cleaned_data
        values = {
            "is_deceased": data.get("is_deceased") == "是",
            "died_on": data.get("died_on") if data.get("is_deceased") == "是" else None,
            "pension_insurance": data.get("pension_insurance") or "",
            "pension_status": data.get("pension_status") or "",
            "medical_insured_year": data.get("medical_insured_year"),
            "medical_status": data.get("medical_status") or "",
        }
        if not (self.keeps_health and not data.get("disability_category")):
            values["disability_category"] = data.get("disability_category") or ""
            values["disability_grade"] = data.get("disability_grade") or ""
        return values


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="名册文件",
        help_text="支持 .xlsx、.xls、.csv；列名见右侧说明中的《数据交换说明》，列的顺序不限。",
        error_messages={"required": "请选择要导入的文件。", "empty": "上传的文件是空的。"},
    )
    dry_run = forms.BooleanField(label="仅校验，不保存（先检查文件中的错误）", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError("只能导入 .xlsx、.xls 或 .csv 文件。")
        return upload


class WindowCheckForm(StyledFormMixin, forms.Form):
    id_number = forms.CharField(
        label="证件号码",
        max_length=40,
        error_messages={"required": "请输入证件号码。"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )

    def clean_id_number(self):
        try:
            return parse_id_number(self.cleaned_data["id_number"])
        except IdNumberError as exc:
            raise forms.ValidationError(exc.message) from exc


class HouseholdForm(StyledFormMixin, forms.Form):
    """The household's own fields, including those the §1 file does not carry (risk dates, causes)."""

    household_type = forms.ChoiceField(
        label="户类型", choices=[("", "—"), *vocab.choices(vocab.HOUSEHOLD_TYPES)], required=False
    )
    monitoring_type = forms.ChoiceField(
        label="监测对象类型",
        choices=[("", "—"), *vocab.choices(vocab.MONITORING_TYPES)],
        required=False,
        help_text="仅户类型为“监测户”时填写。",
    )
    risk_identified_on = forms.DateField(
        label="风险识别日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    risk_eliminated_on = forms.DateField(
        label="风险消除日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    poverty_exit_year = forms.IntegerField(label="脱贫年度", required=False, min_value=2014, max_value=2020)
    income_per_capita = forms.DecimalField(
        label="人均纯收入（元/年）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    is_dibao = forms.NullBooleanField(label="是否低保", required=False)
    is_tekun = forms.NullBooleanField(label="是否特困", required=False)
    is_relocated = forms.NullBooleanField(label="是否易地搬迁", required=False)
    poverty_causes = forms.MultipleChoiceField(
        label="致贫原因",
        choices=vocab.choices(vocab.POVERTY_CAUSES),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["poverty_causes"].widget.attrs["class"] = "form-check-inline"

    def clean(self):
        data = super().clean()
        kind = data.get("household_type")
        if data.get("monitoring_type") and kind != "监测户":
            self.add_error("monitoring_type", "只有户类型为“监测户”时才能填写监测对象类型。")
        if data.get("poverty_exit_year") and kind == "一般农户":
            self.add_error("poverty_exit_year", "一般农户不应填写脱贫年度。")
        start, end = data.get("risk_identified_on"), data.get("risk_eliminated_on")
        if start and end and end < start:
            self.add_error("risk_eliminated_on", "风险消除日期不能早于风险识别日期。")
        if end and not start:
            self.add_error("risk_identified_on", "填写了风险消除日期，请同时填写风险识别日期。")
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["poverty_causes"] = "、".join(data.get("poverty_causes") or [])
        for name in ("household_type", "monitoring_type"):
            data[name] = data.get(name) or ""
        return data

    @classmethod
    def initial_for(cls, household) -> dict:
        initial = {name: getattr(household, name) for name in cls.base_fields}
        initial["poverty_causes"] = [c for c in household.poverty_causes.split("、") if c]
        return initial
