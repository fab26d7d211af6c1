"""The 政策规则 page: every kind of rule in force and scheduled for an area, new versions, and versions
loaded from a rules file (EXCHANGE §9)."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.areas.models import Area
from bangfu.core.access import staff_required
from bangfu.core.rules import region_prefix_of
from bangfu.exchange.spreadsheet import SpreadsheetError
from bangfu.rules import actions
from bangfu.rules.forms import RulesFileForm, rule_form_class
from bangfu.rules.kinds import BY_SLUG, overviews


def _kind(slug: str):
    kind = BY_SLUG.get(slug)
    if kind is None:
        raise Http404("没有这种规则。")
    return kind


def _area(request, code: str) -> Area:
    return get_object_or_404(Area.objects.for_user(request.user), code=code)


@staff_required
def index(request):
    """The user's own area; `?area=` jumps to an area inside it."""
    raw = request.GET.get("area", "").strip()
    if raw:
        area = Area.objects.in_scope(request.user, raw)
        if area is None:
            raise Http404("未找到该区域，或不在您的管辖区域内。")
        return redirect("rules:area", code=area.code)
    return _page(request, request.user.area)


@staff_required
def area_rules(request, code: str):
    return _page(request, _area(request, code))


def _page(request, area: Area):
    today = timezone.localdate()
    sections = overviews(area, today)
    for section in sections:
        for rule in [*section.scheduled, *section.inside]:
            rule.withdrawable = rule.effective_from > today and actions.can_set_rules(
                request.user, rule.region_prefix
            )
    context = {
        "area": area,
        # Areas above the user's own are named, not linked: their pages are outside the user's scope.
        "trail": [(a, request.user.area.contains(a)) for a in [*area.ancestors(), area]],
        "today": today,
        "sections": sections,
        "can_set": actions.can_set_rules(request.user, region_prefix_of(area)),
        "can_load": actions.can_set_rules(request.user, region_prefix_of(request.user.area)),
        "nav": "rules",
    }
    return render(request, "rules/index.html", context)


@staff_required
def rule_new(request, code: str, kind: str):
    """A new version of one kind of rule for an area of the user's subtree, effective today or later."""
    area, kind = _area(request, code), _kind(kind)
    if not actions.can_set_rules(request.user, region_prefix_of(area)):
        raise PermissionDenied("只有可管理用户的工作人员可以新增规则版本。")
    current = kind.model.objects.in_force(area.code)
    initial = {name: getattr(current, name) for name in kind.fields} if current else {}
    initial["effective_from"] = timezone.localdate()
    form = rule_form_class(kind)(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rule = actions.add_rule(request.user, kind, area, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"已新增{kind.label}：{area.name}，{rule.effective_from:%Y-%m-%d} 起生效。"
            )
            return redirect("rules:area", code=area.code)
    context = {"area": area, "kind": kind, "form": form, "current": current, "nav": "rules"}
    return render(request, "rules/rule_form.html", context)


@staff_required
@require_POST
def rule_withdraw(request, kind: str, pk: int):
    """Withdraw a version of the user's subtree that has not taken effect."""
    kind = _kind(kind)
    prefix = region_prefix_of(request.user.area)
    rule = get_object_or_404(kind.model.objects.filter(region_prefix__startswith=prefix), pk=pk)
    try:
        actions.withdraw_rule(request.user, kind, rule)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已撤销{kind.label}：{rule.effective_from:%Y-%m-%d} 起的版本。")
    return redirect("rules:area", code=rule.region_code)


@staff_required
def rules_load(request):
    """Rule versions from a file, for the regions the user may set, from today on: a version dated in the past
    would change what the platform answered for days gone by (figures, warnings, payouts), so only the
    deployment's operator loads those, by `bangfu rules load`, on the record as 命令行."""
    if not actions.can_set_rules(request.user, region_prefix_of(request.user.area)):
        raise PermissionDenied("只有可管理用户的工作人员可以导入规则版本。")
    form = RulesFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"rules{Path(upload.name).suffix.lower()}"
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                result = actions.load_rules_file(request.user, path, allow_past=False, file_name=upload.name)
            except SpreadsheetError as error:
                form.add_error("file", error.message)
            except ValidationError as error:  # a version took effect between the check and the save
                form.add_error(None, error.messages)
    context = {"form": form, "result": result, "area": request.user.area, "nav": "rules"}
    return render(request, "rules/load.html", context)
