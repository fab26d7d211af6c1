from datetime import timedelta

from django import forms
from django.urls import reverse
from django.utils import timezone

from bangfu.areas.models import Area, normalize_code
from bangfu.core.forms import StyledFormMixin
from bangfu.fairs.models import JobFair
from bangfu.jobs.models import Job

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class JobPicker(forms.Widget):
    """The fair's jobs as ticked boxes, and a search-as-you-type (htmx, `fairs:job_search`) that adds more.

    Only the chosen jobs are rendered, never the whole list of postings (thousands of jobs): the page
    stays small and fast. `queryset` (set by the form) bounds what is shown, so a crafted value cannot
    reveal the title of a job the user may not see."""

    template_name = "fairs/_job_picker.html"
    queryset = Job.objects.none()

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # no box ticked is an answer: the fair has no jobs

    def format_value(self, value):
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = [v for v in context["widget"]["value"] if v.isdigit()]
        jobs = self.queryset.filter(pk__in=ids).select_related("employer", "area")
        context["widget"]["jobs"] = jobs.order_by("employer__name", "title", "pk") if ids else []
        context["widget"]["search_url"] = reverse("fairs:job_search")
        return context


class FairForm(StyledFormMixin, forms.ModelForm):
    area_code = forms.CharField(label="举办地区划代码", help_text="本区域或下级区域，如乡镇 433124102")
    jobs = forms.ModelMultipleChoiceField(
        label="参会岗位", queryset=Job.objects.none(), required=False, widget=JobPicker,
        help_text="输入单位名称、岗位名称或岗位编号查找招聘中的岗位，勾选即加入；取消勾选即移出。参会单位按岗位自动列出。",
    )  # fmt: skip

    class Meta:
        model = JobFair
        fields = ["kind", "title", "venue", "starts_at", "ends_at", "status", "description"]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Open postings (what staff may refer to), and the jobs already at this fair even if closed since.
        current = list(self.instance.jobs.values_list("pk", flat=True)) if self.instance.pk else []
        jobs = Job.objects.postings_for(user) | Job.objects.filter(pk__in=current)
        self.fields["jobs"].queryset = jobs
        self.fields["jobs"].widget.queryset = jobs
        if self.instance.pk:
            self.fields["area_code"].initial = self.instance.area_id
            self.fields["jobs"].initial = current
        else:
            self.fields["area_code"].initial = user.area_id
            start = (timezone.localtime() + timedelta(days=7)).replace(
                hour=9, minute=0, second=0, microsecond=0
            )
            self.fields["starts_at"].initial = start
            self.fields["ends_at"].initial = start.replace(hour=16)

    def clean_area_code(self):
        raw = self.cleaned_data["area_code"]
        try:
            code = normalize_code(raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        area = Area.objects.for_user(self.user).filter(code=code).first()
        if area is None:
            raise forms.ValidationError("区划代码不存在或不在您的管辖区域内。")
        return area

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", "结束时间不能早于开始时间。")
        return data


class InviteForm(StyledFormMixin, forms.Form):
    per_job = forms.IntegerField(label="每个岗位邀请人数", min_value=1, max_value=200, initial=20)
