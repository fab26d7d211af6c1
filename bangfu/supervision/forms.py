"""Forms of 督办: a task (with its receiving areas), a reply, a review, a rectification, its progress and
销号. Attachments are checked again by the actions (supervision/files.py)."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.core.forms import StyledFormMixin
from bangfu.supervision.files import ACCEPT, allowed_text
from bangfu.supervision.models import Progress, RectStatus, Source

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", allowed_text())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AreaChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, area):
        return area.name


class TaskForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    content = forms.CharField(label="督办内容", widget=forms.Textarea(attrs={"rows": 5}))
    due_on = forms.DateField(label="办理期限", widget=DATE)
    leader = forms.CharField(label="责任领导", max_length=50)
    unit = forms.CharField(label="责任单位", max_length=100)
    all_children = forms.BooleanField(label="下发全部下级区域", required=False)
    areas = AreaChoiceField(label="或选择下级区域", queryset=Area.objects.none(), required=False)
    codes = forms.CharField(
        label="或填写更下级的区划代码",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如直接下发到村，填村的区划代码，多个用空格、逗号或换行分开。",
    )
    files = MultipleFileField(label="附件")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.filter(parent=actor.area, is_current=True).order_by(
            "code"
        )
        self.fields["areas"].widget.attrs["class"] = "form-check-input"

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("办理期限不能早于今天。")
        return due_on

    def clean(self):
        data = super().clean()
        data["code_list"] = [c for c in re.split(r"[\s,，、;；]+", data.get("codes") or "") if c]
        if not (data.get("all_children") or data.get("areas") or data["code_list"]):
            raise forms.ValidationError("请选择承办区域：全部下级区域、勾选下级区域或填写区划代码。")
        return data


class ReplyForm(StyledFormMixin, forms.Form):
    content = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 4}))
    progress = forms.ChoiceField(
        label="办理进度", choices=Progress.choices, widget=forms.RadioSelect, initial=Progress.ONGOING
    )
    files = MultipleFileField(label="附件")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].widget.attrs["class"] = "form-check-input"


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label="审核", choices=[("accept", "采纳"), ("return", "退回")])
    reason = forms.CharField(label="退回原因", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", "退回须说明原因。")
        return data


class RectificationForm(StyledFormMixin, forms.Form):
    area = forms.CharField(label="责任区域代码", max_length=12, help_text="本辖区或下级区域的区划代码。")
    unit = forms.CharField(label="责任单位", max_length=100)
    problem = forms.CharField(label="问题", widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label="问题来源", choices=Source.choices)
    task = forms.IntegerField(label="来源督办任务编号", required=False, min_value=1, max_value=2**62)
    warning = forms.IntegerField(label="来源预警编号", required=False, min_value=1, max_value=2**62)
    measures = forms.CharField(label="整改措施", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label="整改时限", widget=DATE)
    files = MultipleFileField(label="佐证材料")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["area"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean_area(self):
        area = Area.objects.in_scope(self.actor, self.cleaned_data["area"])
        if area is None:
            raise forms.ValidationError("区划代码不存在或不在您的管辖区域内。")
        return area

    def clean_task(self):
        from bangfu.supervision.models import Task

        pk = self.cleaned_data.get("task")
        if pk is None:
            return None
        task = Task.objects.for_user(self.actor).filter(pk=pk).first()
        if task is None:
            raise forms.ValidationError("没有这个督办任务，或不在您的管辖区域内。")
        return task

    def clean_warning(self):
        from bangfu.tracking.models import Warning

        pk = self.cleaned_data.get("warning")
        if pk is None:
            return None
        warning = Warning.objects.for_user(self.actor).filter(pk=pk).first()
        if warning is None:
            raise forms.ValidationError("没有这条预警，或不在您的管辖区域内。")
        return warning


class ProgressForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="整改状态", choices=[(s, s) for s in (RectStatus.NEW, RectStatus.IN_HAND, RectStatus.DONE)]
    )
    measures = forms.CharField(label="整改措施", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="佐证材料")


class CloseForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="销号日期", widget=DATE)
    note = forms.CharField(label="销号说明", max_length=300)
