from datetime import timedelta

from django import forms
from django.utils import timezone

from bangfu.core.forms import StyledFormMixin
from bangfu.referrals.models import EMPLOYER_ANSWERS, ServiceKind, Status


class StepForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label="新状态", choices=Status.choices)
    note = forms.CharField(label="说明", max_length=300, required=False)
    started_on = forms.DateField(
        label="入职日期（录用时）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EmployerAnswerForm(StepForm):
    status = forms.ChoiceField(label="答复", choices=[(s, s) for s in EMPLOYER_ANSWERS])


class ServiceForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="服务类型", choices=ServiceKind.choices)
    date = forms.DateField(
        label="服务日期", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="内容", max_length=300, required=False)


class InterviewForm(StyledFormMixin, forms.Form):
    scheduled_at = forms.DateTimeField(
        label="面试时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        initial=lambda: (timezone.localtime() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0),
    )
    note = forms.CharField(label="说明", max_length=200, required=False)

    def clean_scheduled_at(self):
        value = self.cleaned_data["scheduled_at"]
        if value < timezone.now() - timedelta(hours=1):
            raise forms.ValidationError("面试时间不能早于现在。")
        return value
