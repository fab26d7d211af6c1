from django import forms
from django.utils import timezone

from bangfu.core.forms import StyledFormMixin
from bangfu.employers.models import Employer
from bangfu.employment.models import EmploymentRecord


class EmploymentForm(StyledFormMixin, forms.ModelForm):
    employer = forms.ModelChoiceField(
        label="用人单位（台帐中的）", queryset=Employer.objects.none(), required=False,
        help_text="台帐中没有的单位，填写下面的单位名称。",
    )  # fmt: skip

    class Meta:
        model = EmploymentRecord
        fields = [
            "employer", "employer_name", "credit_code", "place", "channel", "started_on", "ended_on",
            "monthly_wage",
        ]  # fmt: skip
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(is_active=True).order_by("name")
        self.fields["place"].required = True
        self.fields["channel"].required = True
        self.fields["started_on"].initial = timezone.localdate

    def clean(self):
        data = super().clean()
        if not data.get("employer") and not data.get("employer_name"):
            self.add_error("employer_name", "请选择台帐中的用人单位，或填写单位名称。")
        return data


class EndForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(
        label="离职日期",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label="原因", max_length=100, required=False)
