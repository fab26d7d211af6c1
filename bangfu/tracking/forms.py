"""Forms of tracking: the follow-up visit (phone first), the 联系不上 list's flag, the visits file; the
work on a warning (assign, help, close) and the 帮扶责任人."""

from pathlib import Path

from django import forms
from django.utils import timezone

from bangfu.core.forms import StyledFormMixin
from bangfu.employment.models import EndReason
from bangfu.exchange.spreadsheet import EXTENSIONS
from bangfu.referrals.models import Referral
from bangfu.registry.models import Person
from bangfu.tracking.actions import assignable_users
from bangfu.tracking.models import ConfirmationOutcome, HelpKind, VisitMethod, VisitResult

# What each result does to the records, said on the form beside the buttons (EXCHANGE §6).
RESULT_HINTS = {
    VisitResult.AT_WORK: "仍在就业",
    VisitResult.LEFT: "结束在岗的就业记录",
    VisitResult.RETURNED: "结束在岗的就业记录（原因：返乡）",
    VisitResult.UNWILLING: "只记录本次回访",
    VisitResult.UNREACHABLE: "列入联系不上名单",
}


class VisitForm(StyledFormMixin, forms.Form):
    visited_on = forms.DateField(
        label="回访日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写回访日期。", "invalid": "日期格式不对，请写成 2026-05-31。"},
    )
    method = forms.ChoiceField(
        label="回访方式",
        choices=VisitMethod.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"required": "请选择回访方式。"},
    )
    result = forms.ChoiceField(
        label="回访结果",
        choices=VisitResult.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"required": "请选择回访结果。"},
    )
    note = forms.CharField(
        label="备注",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：在广州某电子厂，月收入约五千元"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["visited_on"].initial = today
        self.fields["visited_on"].widget.attrs["max"] = today.isoformat()
        self.fields["method"].initial = VisitMethod.PHONE

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("回访日期不能晚于今天。")
        return day

    def result_choices(self):
        """The result buttons with what each does, for the template."""
        return [(choice, RESULT_HINTS[choice.data["value"]]) for choice in self["result"]]


class FlagForm(StyledFormMixin, forms.Form):
    id_number = forms.CharField(
        label="证件号码",
        max_length=40,
        error_messages={"required": "请输入证件号码。"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        label="情况说明", max_length=200, required=False, help_text="如：电话停机、多次走访未见"
    )


class VisitImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="跟踪回访文件", help_text="Excel（.xlsx、.xls）或 CSV 文件，列见右侧说明中的《数据交换说明》。"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError("只能上传 .xlsx、.xls 或 .csv 文件。")
        return upload


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.display_name}（{user.area.name}）"


class AssignForm(StyledFormMixin, forms.Form):
    assignee = UserChoiceField(
        label="责任人", queryset=None, required=False, empty_label="（不指定，由本村工作人员处理）"
    )

    def __init__(self, *args, actor, area_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users(actor, area_code)


class ResponsibleForm(StyledFormMixin, forms.Form):
    user = UserChoiceField(label="帮扶责任人", queryset=None, required=False, empty_label="（不指定）")

    def __init__(self, *args, actor, area_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = assignable_users(actor, area_code)


class HelpForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="帮扶措施", choices=HelpKind.choices)
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    person = forms.ModelChoiceField(label="家庭成员", queryset=Person.objects.none(), required=False)
    referral = forms.ModelChoiceField(label="推荐的岗位", queryset=Referral.objects.none(), required=False)
    note = forms.CharField(
        label="说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, actor, warning, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate
        members = Person.objects.for_user(actor).filter(household_id=warning.household_id, is_deceased=False)
        if warning.person_id:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = members.order_by("id")
            self.fields["person"].help_text = "职业指导、培训信息给哪位成员"
        referrals = (
            Referral.objects.for_user(actor).filter(person_id=warning.person_id)
            if warning.person_id
            else Referral.objects.for_user(actor).filter(person__in=members)
        )
        self.fields["referral"].queryset = referrals.select_related("job", "person").order_by("-created_at")
        self.fields["referral"].label_from_instance = lambda r: (
            f"{r.person.name}：{r.job.title}（{r.status}，{r.created_at:%Y-%m-%d}）"
        )
        self.fields["referral"].help_text = "推荐岗位时选择；先在“推荐岗位”页为其推荐，再回来登记。"


class CloseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="关闭原因", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


DATE = {"type": "date"}


class ConfirmForm(StyledFormMixin, forms.Form):
    """输入地确认: in work, or left (with the last day of work and why)."""

    outcome = forms.ChoiceField(label="确认结果", choices=ConfirmationOutcome.choices)
    on = forms.DateField(
        label="确认日期", initial=timezone.localdate, widget=forms.DateInput(DATE, "%Y-%m-%d")
    )
    ended_on = forms.DateField(
        label="离职日期",
        required=False,
        widget=forms.DateInput(DATE, "%Y-%m-%d"),
        help_text="确认离职时填写。",
    )
    reason = forms.ChoiceField(label="离职原因", choices=[("", "—"), *EndReason.choices], required=False)
    note = forms.CharField(
        label="备注", max_length=300, required=False, help_text="如：电话联系用人单位核实。"
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ConfirmationOutcome.ENDED and not data.get("ended_on"):
            self.add_error("ended_on", "确认离职须填写离职日期。")
        return data
