"""Pages of skills training: the area's training figures, needs and the 应训尽训 list, providers, courses
with their trainees (enrolment by ID, from the list, by matching; attendance, completion, certificate),
the 两后生 list with its follow-up, and the providers' rosters imported."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.areas.models import Area
from bangfu.audit.batches import report_response
from bangfu.core.access import staff_required
from bangfu.core.batches import reap_batches
from bangfu.core.params import as_id, as_ids
from bangfu.core.problems import batch_errors
from bangfu.core.views import paginate
from bangfu.registry.models import Person
from bangfu.stats import figures as stats
from bangfu.training import actions, importer
from bangfu.training import needs as needs_engine
from bangfu.training import youth as youth_engine
from bangfu.training.filters import CourseFilter, NeedFilter
from bangfu.training.forms import (
    AttendanceForm,
    CompleteForm,
    CourseForm,
    EnrolForm,
    ImportForm,
    NeedForm,
    ProviderForm,
    YouthForm,
)
from bangfu.training.models import Course, Enrolment, EnrolmentSource, Need, Provider, RosterImport

NAV = "training"
SHOWN = (
    "trained",
    "training_need",
    "training_need_met",
    "training_rate",
    "trained_employed",
    "trained_employed_rate",
)


def _messages(exc) -> str:
    return "；".join(getattr(exc, "messages", [str(exc)]))


def _area(request) -> Area:
    code = (request.GET.get("area") or "").strip()
    if code and code.isascii() and code.isdigit() and len(code) <= 12:
        return get_object_or_404(Area.objects.for_user(request.user), code=code.ljust(12, "0"))
    return request.user.area


def _person(request, id_number: str) -> Person | None:
    return Person.objects.for_user(request.user).filter(id_number=id_number.strip().upper()).first()


@staff_required
def index(request):
    area = _area(request)
    today = timezone.localdate()
    values = stats.values([area], today)[area.code]
    cards = [(stats.figure(key), values[key]) for key in SHOWN]
    courses = Course.objects.for_user(request.user).for_area(area).filter(starts_on__year=today.year).count()
    context = {"nav": NAV, "area": area, "cards": cards, "courses": courses, "today": today}
    return render(request, "training/index.html", context)


# --- needs -------------------------------------------------------------------------------------------------


@staff_required
def needs(request):
    area = _area(request)
    listed = Need.objects.for_user(request.user).for_area(area).select_related("person", "occupation", "area")
    filterset = NeedFilter(request.GET, queryset=listed)
    listed = filterset.qs if filterset.is_valid() else listed.none()
    context = paginate(request, listed.order_by("-recorded_on", "-id"), per_page=30)
    context.update({"nav": NAV, "area": area, "filter": filterset, "form": NeedForm()})
    return render(request, "training/needs.html", context)


@staff_required
def need_new(request):
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = _person(request, data["id_number"])
        if person is None:
            form.add_error("id_number", "您管辖区域的名册中没有此证件号码。")
        else:
            try:
                actions.record_need(
                    request.user,
                    person,
                    kind=data["kind"],
                    source=data["source"],
                    occupation=data["occupation"] or None,
                    recorded_on=data["recorded_on"],
                )
                messages.success(request, f"已登记 {person.name} 的培训需求。")
                return redirect("training:needs")
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _messages(exc))
    return render(request, "training/need_form.html", {"nav": NAV, "form": form})


@staff_required
@require_POST
def needs_registry(request):
    try:
        made = actions.needs_from_registry(request.user, request.user.area)
        messages.success(request, f"从一库培训意愿生成培训需求 {made} 条。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _messages(exc))
    return redirect("training:needs")


@staff_required
@require_POST
def need_drop(request, pk: int):
    need = get_object_or_404(Need.objects.for_user(request.user), pk=pk)
    try:
        actions.drop_need(request.user, need)
        messages.success(request, "已标记为不再需要。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _messages(exc))
    return redirect("training:needs")


@staff_required
def untrained(request):
    """应训尽训名单: people with a need, not trained this year; chosen ones enrolled on a course."""
    if request.method == "POST":
        course = _course(request, as_id(request.POST.get("course")) or 0)
        ids = as_ids(request.POST.getlist("person"))
        if not ids:
            messages.error(request, "请先勾选人员。")
            return redirect(request.get_full_path())
        try:
            made = actions.enrol_many(request.user, course, ids, source=EnrolmentSource.NEEDS)
            messages.success(request, f"已报名 {made} 人。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _messages(exc))
            return redirect(request.get_full_path())
        return redirect("training:course_detail", pk=course.pk)
    area = _area(request)
    today = timezone.localdate()
    listed = needs_engine.untrained(area, today).filter(
        pk__in=Person.objects.for_user(request.user).values("pk")
    )
    context = paginate(request, listed.order_by("area_id", "name", "pk"), per_page=50)
    page = list(context["page_obj"])
    context.update(
        {
            "nav": NAV,
            "area": area,
            "today": today,
            "needs": needs_engine.needs_of([p.pk for p in page], today),
            "courses": Course.objects.for_user(request.user)
            .filter(ends_on__gte=today)
            .order_by("starts_on", "number"),
        }
    )
    return render(request, "training/untrained.html", context)


# --- providers and courses ------------------------------------------------------------------------------


@staff_required
def providers(request):
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_provider(request.user, area=request.user.area, **form.cleaned_data)
            messages.success(request, "已登记培训机构。")
            return redirect("training:providers")
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _messages(exc))
    listed = Provider.objects.for_user(request.user).select_related("area").order_by("area_id", "name")
    context = paginate(request, listed, per_page=50)
    context.update({"nav": NAV, "form": form})
    return render(request, "training/providers.html", context)


@staff_required
def courses(request):
    area = _area(request)
    listed = Course.objects.for_user(request.user).for_area(area).select_related("provider", "occupation")
    filterset = CourseFilter(request.GET, queryset=listed)
    listed = filterset.qs if filterset.is_valid() else listed.none()
    context = paginate(request, listed.order_by("-starts_on", "number"), per_page=30)
    context.update({"nav": NAV, "area": area, "filter": filterset})
    return render(request, "training/courses.html", context)


@staff_required
def course_new(request):
    providers = list(Provider.objects.for_user(request.user).order_by("name"))
    form = CourseForm(request.POST or None, providers=providers, initial={"area": request.user.area_id[:6]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = data["area"].strip().ljust(12, "0")[:12]
        place = Area.objects.for_user(request.user).filter(code=code).first()
        provider = next((p for p in providers if str(p.pk) == data["provider"]), None)
        if place is None:
            form.add_error("area", "不在您的管辖区域内，或没有这个区划代码。")
        else:
            try:
                course = actions.create_course(
                    request.user,
                    provider=provider,
                    area=place,
                    number=data["number"],
                    title=data["title"],
                    kind=data["kind"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    capacity=data["capacity"],
                    days=data["days"],
                    occupation=data["occupation"] or None,
                    place=data["place"],
                )
                return redirect("training:course_detail", pk=course.pk)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _messages(exc))
    return render(request, "training/course_form.html", {"nav": NAV, "form": form})


def _course(request, pk: int) -> Course:
    return get_object_or_404(
        Course.objects.for_user(request.user).select_related("provider", "occupation"), pk=pk
    )


@staff_required
def course_detail(request, pk: int):
    course = _course(request, pk)
    today = timezone.localdate()
    enrolments = (
        Enrolment.objects.for_user(request.user)
        .filter(course=course)
        .select_related("person", "area")
        .order_by("area_id", "person__name")
    )
    context = {
        "nav": NAV,
        "course": course,
        "enrolments": enrolments,
        "today": today,
        "enrol_form": EnrolForm(),
        "complete_form": CompleteForm(initial={"days_attended": course.days}),
        "matches": needs_engine.matches(course, today) if course.ends_on >= today else [],
    }
    return render(request, "training/course_detail.html", context)


@staff_required
@require_POST
def course_enrol(request, pk: int):
    course = _course(request, pk)
    form = EnrolForm(request.POST)
    if form.is_valid():
        person = _person(request, form.cleaned_data["id_number"])
        if person is None:
            messages.error(request, "您管辖区域的名册中没有此证件号码。")
        else:
            try:
                actions.enrol(request.user, course, person)
                messages.success(request, f"{person.name} 已报名。")
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _messages(exc))
    else:
        messages.error(request, "请填写证件号码。")
    return redirect("training:course_detail", pk=course.pk)


@staff_required
@require_POST
def course_enrol_many(request, pk: int):
    course = _course(request, pk)
    ids = as_ids(request.POST.getlist("person"))
    source = EnrolmentSource.MATCH if request.POST.get("source") == "match" else EnrolmentSource.NEEDS
    if not ids:
        messages.error(request, "请先勾选人员。")
    else:
        try:
            made = actions.enrol_many(request.user, course, ids, source=source)
            messages.success(request, f"已报名 {made} 人。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _messages(exc))
    return redirect("training:course_detail", pk=course.pk)


def _enrolment(request, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.for_user(request.user).select_related("course", "person"), pk=pk
    )


@staff_required
@require_POST
def enrolment_complete(request, pk: int):
    enrolment = _enrolment(request, pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.complete(
                request.user,
                enrolment,
                completed_on=data["completed_on"],
                days_attended=data["days_attended"],
                certificate_kind=data["certificate_kind"],
                certificate_number=data["certificate_number"],
            )
            messages.success(request, f"{enrolment.person.name} 已结业。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _messages(exc))
    else:
        messages.error(request, "请填写结业日期和出勤天数。")
    return redirect("training:course_detail", pk=enrolment.course_id)


@staff_required
@require_POST
def enrolment_attendance(request, pk: int):
    enrolment = _enrolment(request, pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            actions.record_attendance(request.user, enrolment, form.cleaned_data["days_attended"])
            messages.success(request, "已登记出勤。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _messages(exc))
    else:
        messages.error(request, "出勤天数应为整数。")
    return redirect("training:course_detail", pk=enrolment.course_id)


@staff_required
@require_POST
def enrolment_drop(request, pk: int):
    enrolment = _enrolment(request, pk)
    try:
        actions.drop_out(request.user, enrolment)
        messages.success(request, f"{enrolment.person.name} 已退学。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _messages(exc))
    return redirect("training:course_detail", pk=enrolment.course_id)


# --- 两后生 -------------------------------------------------------------------------------------------------


@staff_required
def youth(request):
    area = _area(request)
    today = timezone.localdate()
    listed = youth_engine.youth(area, today).filter(pk__in=Person.objects.for_user(request.user).values("pk"))
    context = paginate(request, listed.order_by("area_id", "name", "pk"), per_page=50)
    context.update({"nav": NAV, "area": area, "today": today, "form": YouthForm()})
    return render(request, "training/youth.html", context)


@staff_required
@require_POST
def youth_follow(request, pk: int):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    form = YouthForm(request.POST)
    if form.is_valid():
        try:
            actions.follow_up_youth(request.user, person, **form.cleaned_data)
            messages.success(request, f"已记录对 {person.name} 的跟踪。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _messages(exc))
    else:
        messages.error(request, "请填写结果和联系日期。")
    return redirect("training:youth")


# --- imports ---------------------------------------------------------------------------------------------


@staff_required
def import_list(request):
    imports = RosterImport.objects.for_user(request.user).select_related("area", "user")
    reap_batches(imports)
    context = paginate(request, imports.order_by("-created_at", "-id"), per_page=30)
    context["nav"] = NAV
    return render(request, "training/import_list.html", context)


@staff_required
def import_new(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = importer.create_import(
            area=request.user.area, user=request.user, upload=form.cleaned_data["file"]
        )
        try:
            importer.run_import(batch)
        except Exception:
            batch.refresh_from_db()
        return redirect("training:import_detail", pk=batch.pk)
    return render(request, "training/import_form.html", {"form": form, "nav": NAV})


def _batch(request, pk: int) -> RosterImport:
    return get_object_or_404(
        RosterImport.objects.for_user(request.user).select_related("area", "user"), pk=pk
    )


@staff_required
def import_detail(request, pk: int):
    batch = _batch(request, pk)
    context = {"batch": batch, "nav": NAV, "report_url": "training:import_report"}
    context.update(batch_errors(request, batch, personal=True))
    return render(request, "training/import_detail.html", context)


@staff_required
def import_report(request, pk: int):
    """The rejected rows as uploaded: full ID numbers, for the uploader and those who may see them whole."""
    return report_response(request, _batch(request, pk), what="培训名册", personal=True)
