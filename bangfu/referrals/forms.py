from datetime import timedelta

from django import forms
from django.utils import timezone

from bangfu.core.forms import StyledFormMixin
from bangfu.fairs import meetings
from bangfu.referrals.models import EMPLOYER_ANSWERS, ServiceKind, Status, WithdrawReason

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WAYS = [("0", "现场面试"), ("1", "线上视频面试")]


def _next_morning():
    return (timezone.localtime() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)


class InterviewFieldsMixin(forms.Form):
    """When and how an interview is: its time, on site (with a venue) or online (a meeting link)."""

    interview_at = forms.DateTimeField(
        label="面试时间", required=False, widget=DATETIME, initial=_next_morning
    )
    online = forms.TypedChoiceField(
        label="面试方式", choices=WAYS, coerce=lambda v: v == "1", initial="0", required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )  # fmt: skip
    venue = forms.CharField(
        label="面试地点（现场面试时）",
        max_length=200,
        required=False,
        help_text="线上面试由系统生成会议链接。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Without a meeting service there is no online way to offer; the page says why (meetings.UNAVAILABLE).
        self.online_unavailable = "" if meetings.available() else meetings.UNAVAILABLE
        if self.online_unavailable:
            online = self.fields["online"]
            online.choices = WAYS[:1]
            online.initial = "0"
            online.error_messages["invalid_choice"] = meetings.UNAVAILABLE
            self.fields["venue"].help_text = ""


class StepForm(StyledFormMixin, InterviewFieldsMixin, forms.Form):
    """One step of a referral from the staff's page: the buttons post `status`; 面试 needs its time, 放弃
    its reason (the action checks the same, for the API too)."""

    status = forms.ChoiceField(label="新状态", choices=Status.choices)
    on = forms.DateField(label="日期", required=False, widget=DATE, initial=timezone.localdate,
                         help_text="这一步发生的日期，默认今天。")  # fmt: skip
    note = forms.CharField(label="说明", max_length=300, required=False)
    reason = forms.ChoiceField(
        label="放弃原因", choices=[("", "（选“放弃”时必选）"), *WithdrawReason.choices], required=False
    )
    started_on = forms.DateField(label="入职日期（录用时，默认今天）", required=False, widget=DATE)
    monthly_wage = forms.IntegerField(
        label="实际月工资（元，录用时必填）", required=False, min_value=1, max_value=999999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="按劳动合同或用人单位告知的实际工资填写，用于就业记录和收入统计。",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == Status.INTERVIEW and not data.get("interview_at"):
            self.add_error("interview_at", "改为“面试”时请填写面试时间。")
        if status == Status.WITHDRAWN and "reason" in self.fields and not data.get("reason"):
            self.add_error("reason", "改为“放弃”时请选择放弃原因。")
        if status == Status.HIRED and data.get("monthly_wage") is None and "monthly_wage" not in self.errors:
            self.add_error("monthly_wage", "录用时请填写实际月工资（元）。")
        return data


class EmployerAnswerForm(StepForm):
    status = forms.ChoiceField(label="答复", choices=[(s, s) for s in EMPLOYER_ANSWERS])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["on"], self.fields["reason"]


class ServiceForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="服务类型", choices=ServiceKind.choices)
    date = forms.DateField(label="服务日期", initial=timezone.localdate, widget=DATE)
    note = forms.CharField(label="内容", max_length=300, required=False)


class InterviewForm(StyledFormMixin, InterviewFieldsMixin, forms.Form):
    """Another interview of a referral already at 面试 (a second round, a new time)."""

    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interview_at"].required = True
