"""Registry pages: people and households of the user's subtree, create and edit, export, file imports,
and the service window's real-name check (窗口实名核验)."""

import io
import logging
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from bangfu.areas.models import Area
from bangfu.audit.batches import report_response
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.access import staff_required
from bangfu.core.idnumber import mask_id, mask_phone
from bangfu.core.problems import batch_errors
from bangfu.core.views import paginate
from bangfu.exports.views import export_response
from bangfu.registry import actions
from bangfu.registry.export import EXPORT_DENIED, SOURCES
from bangfu.registry.filters import HouseholdFilter, PersonFilter
from bangfu.registry.forms import HouseholdForm, ImportForm, PersonForm, WindowCheckForm
from bangfu.registry.models import Change, Household, ImportBatch, Person, WindowCheck
from bangfu.registry.rows import COLUMN_FIELDS
from bangfu.registry.tasks import run_import_task

# Uploads up to this size are imported while the user waits; larger ones go to the background worker.
INLINE_IMPORT_LIMIT = 2 * 1024 * 1024
logger = logging.getLogger(__name__)


def ordered(queryset, *default):
    """The filters' own order (a search orders by the index it uses), else `default`."""
    return queryset if queryset.query.order_by else queryset.order_by(*default)


SENSITIVE_MESSAGE = "您没有查看完整敏感信息的权限。"
PERSON_BASIC_FILTERS = ("q", "area", "min_age", "max_age")
REVEAL_FIELDS = {
    "id_number": "证件号码",
    "phone": "联系电话",
    "health": "健康状况",
    "disability": "残疾类别和等级",
}
HIDDEN = "******"  # health data shown to users who may not see it


def _hidden(value: str) -> str:
    return HIDDEN


# History entries whose values are sensitive, by the field label that save_records writes.
MASKED_HISTORY = {
    "联系电话": mask_phone,
    "证件号码": mask_id,
    "健康状况": _hidden,
    "残疾类别": _hidden,
    "残疾等级": _hidden,
}


def _styled(filterset, placeholders: dict[str, str]):
    """Bootstrap classes, "全部" for an unset choice, and hints, on a FilterSet's form."""
    form = filterset.form
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("unknown", "全部"), ("true", "是"), ("false", "否")]
        elif isinstance(widget, forms.Select) and (choices := list(widget.choices)) and choices[0][0] == "":
            widget.choices = [("", "全部"), *choices[1:]]
        widget.attrs.setdefault(
            "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
        )
        if name in placeholders:
            widget.attrs["placeholder"] = placeholders[name]
    if "area" in form.fields:
        form.fields["area"].widget.attrs.update(list="sub-areas", inputmode="numeric", autocomplete="off")
    return filterset


def _sub_areas(user):
    """The user's direct sub-areas, offered as quick choices in the area filter."""
    return Area.objects.for_user(user).current().filter(parent=user.area).order_by("code")


def _history(changes, user):
    """Change rows for display; phone and ID values masked unless the user may see them."""
    rows = []
    for change in changes:
        before, after = change.before, change.after
        if not user.can_view_sensitive and change.field in MASKED_HISTORY:
            mask = MASKED_HISTORY[change.field]
            before, after = mask(before) if before else "", mask(after) if after else ""
        rows.append({"change": change, "before": before, "after": after})
    return rows


@staff_required
def person_list(request):
    people = Person.objects.for_user(request.user).select_related("area", "household")
    filterset = _styled(
        PersonFilter(request.GET, queryset=people),
        {"q": "姓名、拼音（zs 或 zhangsan）、证件号码前几位或后几位、电话或尾号", "area": "如 433124102",
         "min_age": "从", "max_age": "到"},
    )  # fmt: skip
    context = paginate(request, ordered(filterset.qs, "area_id", "name", "id"))
    advanced = [filterset.form[name] for name in filterset.form.fields if name not in PERSON_BASIC_FILTERS]
    context.update(
        {
            "filter": filterset,
            "advanced": advanced,
            "more_filters": any(request.GET.get(field.name) for field in advanced),
            "sub_areas": _sub_areas(request.user),
            "export_query": context["querystring_base"].rstrip("&"),
            "nav": "registry",
            "tab": "people",
        }
    )
    return render(request, "registry/person_list.html", context)


def _scoped_person(request, pk: int) -> Person:
    return get_object_or_404(
        Person.objects.for_user(request.user).select_related("area", "household", "household__area"), pk=pk
    )


@staff_required
def person_detail(request, pk: int):
    person = _scoped_person(request, pk)
    changes = person.changes.select_related("actor").order_by("-at", "-id")[:200]
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "household": person.household,
            "history": _history(changes, request.user),
            "nav": "registry",
        },
    )


@staff_required
@require_POST
def person_reveal(request, pk: int, field: str):
    """Shows the whole ID number or phone to those allowed, and audits the showing."""
    person = _scoped_person(request, pk)
    if field not in REVEAL_FIELDS:
        raise Http404("没有这一项。")
    if not request.user.can_view_sensitive:
        raise PermissionDenied(SENSITIVE_MESSAGE)
    label = REVEAL_FIELDS[field]
    audit(Action.VIEW_SENSITIVE, actor=request.user, obj=person, message=f"查看人员完整{label}")
    if field == "disability":
        value = " ".join(filter(None, [person.disability_category, person.disability_grade]))
    else:
        value = getattr(person, field)
    return HttpResponse(format_html('<span class="mono">{}</span>', value or "（未填写）"))


def _save(request, form, *, creating: bool):
    """Saves the cleaned record; returns the person, or None with the reason added to the form."""
    record = form.record
    if creating:
        existing = Person.objects.for_user(request.user).filter(id_number=record.id_number).first()
        if existing is not None:
            form.add_error("id_number", f"该证件号码已登记（{existing.name}），请在其人员页面修改。")
            return None
        try:  # registered elsewhere: the window check's answer, kept, audited and limited
            actions.check_new_registration(request.user, record.id_number)
        except PermissionDenied as exc:
            form.add_error("id_number", str(exc))
            return None
    try:
        with transaction.atomic():
            person = actions.save_person(request.user, record)
            # 社会保障与身份 (not §1 columns): history and audit as any other manual change.
            actions.update_person_fields(
                request.user, person, form.status_values(), source=actions.SOURCE_MANUAL
            )
            return person
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return None


@staff_required
def person_create(request):
    initial = {"village_code": request.user.area.code} if request.user.area.level == 5 else {}
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = _save(request, form, creating=True)
        if person is not None:
            messages.success(request, f"已登记 {person.name}。")
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "creating": True, "nav": "registry"})


@staff_required
def person_edit(request, pk: int):
    person = _scoped_person(request, pk)
    values = Person.objects.filter(pk=person.pk).values_list(*SOURCES.values()).get()
    initial = {COLUMN_FIELDS[column]: actions.display(v) for column, v in zip(SOURCES, values, strict=True)}
    form = PersonForm(request.POST or None, user=request.user, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, creating=False)
        if saved is not None:
            messages.success(request, "人员信息已保存。")
            return redirect("registry:person_detail", pk=saved.pk)
    return render(request, "registry/person_form.html", {"form": form, "person": person, "nav": "registry"})


class _TemporaryDownload(io.FileIO):
    """A file that removes itself once the response has sent it (works on Windows too)."""

    def close(self):
        super().close()
        Path(self.name).unlink(missing_ok=True)


@staff_required
def person_export(request):
    """The filtered list as a §1 spreadsheet (exports.views: at once when small, else in the background).
    Full ID numbers and phones leave the system, so only users who may see them can export, and every
    export is audited with its row count."""
    if not request.user.can_view_sensitive:
        raise PermissionDenied(EXPORT_DENIED)
    return export_response(request, "registry", back="registry:person_list")


@staff_required
def household_list(request):
    households = Household.objects.for_user(request.user).select_related("area")
    filterset = _styled(
        HouseholdFilter(request.GET, queryset=households),
        {"q": "户编号或户主姓名、证件号码", "area": "如 433124102"},
    )
    context = paginate(request, filterset.qs.order_by("area_id", "number"))
    page = context["page_obj"]
    # Heads and member counts of the page's households in one query.
    members = Person.objects.filter(household__in=list(page.object_list)).only(
        "household_id", "name", "relation"
    )
    heads, sizes = {}, {}
    for member in members:
        sizes[member.household_id] = sizes.get(member.household_id, 0) + 1
        if member.relation == "户主":
            heads[member.household_id] = member.name
    rows = [{"household": h, "head": heads.get(h.pk, ""), "size": sizes.get(h.pk, 0)} for h in page]
    context.update(
        {
            "filter": filterset,
            "rows": rows,
            "sub_areas": _sub_areas(request.user),
            "nav": "registry",
            "tab": "households",
        }
    )
    return render(request, "registry/household_list.html", context)


@staff_required
def household_edit(request, pk: int):
    household = get_object_or_404(Household.objects.for_user(request.user).select_related("area"), pk=pk)
    form = HouseholdForm(request.POST or None, initial=HouseholdForm.initial_for(household))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_household(
                request.user, number=household.number, area=household.area, values=form.values()
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "户信息已保存。")
            return redirect("registry:household_detail", pk=household.pk)
    return render(
        request, "registry/household_form.html", {"form": form, "household": household, "nav": "registry"}
    )


@staff_required
def household_detail(request, pk: int):
    household = get_object_or_404(Household.objects.for_user(request.user).select_related("area"), pk=pk)
    members = household.members.select_related("area").order_by("id")
    changes = Change.objects.filter(household=household).select_related("actor").order_by("-at", "-id")
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "members": members,
            "history": _history(changes[:200], request.user),
            "nav": "registry",
        },
    )


@staff_required
def import_list(request):
    batches = ImportBatch.objects.for_user(request.user).select_related("area", "user")
    actions.reap_imports(batches)
    context = paginate(request, batches.order_by("-created_at", "-id"), per_page=30)
    context.update({"nav": "registry", "tab": "imports"})
    return render(request, "registry/import_list.html", context)


def _start_import(batch: ImportBatch, size: int) -> None:
    """Small files are imported while the user waits; larger ones by the background worker."""
    if size >= INLINE_IMPORT_LIMIT:
        run_import_task.enqueue(batch.pk)
        return
    try:
        actions.run_registry_import(batch)
    except DatabaseError:  # the batch is already marked failed with the reason; the page shows it
        logger.exception("registry import %s failed", batch.pk)


@staff_required
def import_new(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = actions.create_import_batch(
            area=request.user.area,
            user=request.user,
            upload=upload,
            name=upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
        _start_import(batch, upload.size)
        return redirect("registry:import_detail", pk=batch.pk)
    return render(request, "registry/import_form.html", {"form": form, "nav": "registry", "tab": "imports"})


def _scoped_batch(request, pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.for_user(request.user).select_related("area", "user"), pk=pk)


@staff_required
def import_detail(request, pk: int):
    batch = _scoped_batch(request, pk)
    if actions.reap_imports(ImportBatch.objects.filter(pk=batch.pk)):
        batch.refresh_from_db()
    context = {"batch": batch, "nav": "registry", "tab": "imports", "report_url": "registry:import_report"}
    # Error values as the report has them for those who may download it; masked IDs and phones otherwise.
    context.update(batch_errors(request, batch, personal=True))
    if request.headers.get("HX-Request"):  # the progress block polling itself
        return render(request, "registry/_import_progress.html", context)
    return render(request, "registry/import_detail.html", context)


@staff_required
@require_POST
def import_resume(request, pk: int):
    """Submit an interrupted or failed import again; it goes on from what was saved."""
    batch = _scoped_batch(request, pk)
    try:
        batch = actions.resume_import(request.user, batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("registry:import_detail", pk=batch.pk)
    _start_import(batch, batch.file.size)
    return redirect("registry:import_detail", pk=batch.pk)


@staff_required
def import_report(request, pk: int):
    """The error report holds the rejected rows as they were uploaded (full ID numbers included): the
    uploader and users who may see sensitive data can download it, and each download is audited."""
    return report_response(request, _scoped_batch(request, pk), what="人员名单", personal=True)


@staff_required
def window_check(request):
    """Any staff user asks whether an ID number is registered anywhere; outside their own subtree they
    learn the home county and the status only (actions.window_check decides)."""
    form = WindowCheckForm(request.POST or None)
    answer = None
    if request.method == "POST" and form.is_valid():
        try:
            answer = actions.window_check(request.user, form.cleaned_data["id_number"].value)
        except actions.WindowCheckLimited as exc:
            form.add_error("id_number", str(exc))
        else:
            form = WindowCheckForm()  # ready for the next visitor
    recent = [
        {"check": c, "own": c.person_id is not None and request.user.area.contains(c.person.area_id)}
        for c in WindowCheck.objects.for_user(request.user).select_related("user", "person")[:20]
    ]
    return render(
        request,
        "registry/window_check.html",
        {"form": form, "answer": answer, "recent": recent, "nav": "window"},
    )
