"""Forms of what happens at a fair once it exists: an invited laborer's outcome, and an interview with a
meeting link. (The fair's own create/edit form is in forms.py.)"""

from django import forms

from bangfu.core.forms import StyledFormMixin
from bangfu.fairs.actions import OUTCOMES
from bangfu.referrals.forms import InterviewFieldsMixin


class OutcomeForm(forms.Form):
    invitation = forms.IntegerField()
    job = forms.IntegerField()
    outcome = forms.ChoiceField(choices=[(o, o) for o in OUTCOMES], initial="推荐", required=False)
    note = forms.CharField(max_length=300, required=False)


class FairInterviewForm(StyledFormMixin, InterviewFieldsMixin, forms.Form):
    invitation = forms.ModelChoiceField(label="劳动力", queryset=None)
    job = forms.ModelChoiceField(label="岗位", queryset=None)
    note = forms.CharField(label="说明", max_length=200, required=False)

    field_order = ["invitation", "job", "interview_at", "online", "venue", "note"]

    def __init__(self, *args, fair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = fair.invitations.select_related("person").order_by(
            "-score", "id"
        )
        self.fields["invitation"].label_from_instance = lambda i: f"{i.person.name}（{i.person.masked_id}）"
        self.fields["job"].queryset = fair.jobs.select_related("employer").order_by("employer__name", "title")
        self.fields["job"].label_from_instance = lambda j: f"{j.employer.name} · {j.title}"
        self.fields["interview_at"].required = True
        self.fields["interview_at"].initial = fair.starts_at
        if not self.online_unavailable:
            self.fields["online"].initial = "1"  # the fair's interviews are by video unless said otherwise
