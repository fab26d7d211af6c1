"""Pages of public-welfare posts: the area's posts with their figures, a post with its holders and the
candidates for a vacancy, the poor villages against the 公益性岗位配置 rule, the monthly duty sheet a village
officer fills on a phone (each line saved with htmx), and the posts and duty files' imports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.areas.models import Area, Level
from bangfu.audit.batches import report_response
from bangfu.core.access import staff_required
from bangfu.core.batches import reap_batches
from bangfu.core.params import as_int
from bangfu.core.problems import batch_errors
from bangfu.core.views import paginate
from bangfu.posts import actions, eligibility, figures, importer
from bangfu.posts.filters import PostFilter
from bangfu.posts.forms import CloseForm, EndForm, HolderForm, ImportForm, PostForm
from bangfu.posts.models import Duty, ImportKind, Post, PostImport, Spell, held_in, month_bounds
from bangfu.registry.models import Person


def _messages(exc) -> str:
    return "；".join(getattr(exc, "messages", [str(exc)]))


def _area(request) -> Area:
    """The area asked for (?area=CODE) within the user's subtree, else the user's own."""
    code = (request.GET.get("area") or "").strip()
    if code:
        return get_object_or_404(Area.objects.for_user(request.user), code=code.ljust(12, "0")[:12])
    return request.user.area


def _month(request) -> str:
    raw = (request.GET.get("month") or request.POST.get("month") or "").strip()
    try:
        month_bounds(raw)
        return raw
    except ValueError:
        today = timezone.localdate()
        return f"{today.year:04d}-{today.month:02d}"


def _last_month() -> str:
    first = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


@staff_required
def index(request):
    area = _area(request)
    today = timezone.localdate()
    posts = Post.objects.for_user(request.user).for_area(area).select_related("area")
    filterset = PostFilter(request.GET, queryset=posts)
    listed = filterset.qs if filterset.is_valid() else posts.none()
    context = paginate(request, listed.order_by("area_id", "number"), per_page=30)
    held = set(figures.held_posts(area, today).filter(pk__in=[p.pk for p in context["page_obj"]]).values_list(
        "pk", flat=True))  # fmt: skip
    month = _last_month()
    context.update(
        {
            "nav": "posts", "area": area, "filter": filterset, "held": held, "today": today,
            "summary": figures.summary(area, today), "duty": figures.on_duty(area, month),
            "duty_month": month,
        }
    )  # fmt: skip
    return render(request, "posts/index.html", context)


@staff_required
def post_new(request):
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = data["area"].strip().ljust(12, "0")
        place = Area.objects.for_user(request.user).filter(code=code).first()
        if place is None:
            form.add_error("area", "不在您的管辖区域内，或没有这个区划代码。")
        else:
            try:
                post = actions.create_post(
                    request.user, area=place, number=data["number"], kind=data["kind"], title=data["title"],
                    opened_on=data["opened_on"], duties=data["duties"], host_unit=data["host_unit"],
                )  # fmt: skip
                return redirect("posts:detail", pk=post.pk)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _messages(exc))
    return render(request, "posts/post_form.html", {"form": form, "nav": "posts"})


def _post(request, pk: int) -> Post:
    return get_object_or_404(Post.objects.for_user(request.user).select_related("area"), pk=pk)


@staff_required
def detail(request, pk: int):
    post = _post(request, pk)
    today = timezone.localdate()
    spells = (
        Spell.objects.for_user(request.user)
        .filter(post=post)
        .select_related("person")
        .order_by("-started_on")
    )
    vacant = post.is_open_on(today) and not any(s.ended_on is None or s.ended_on >= today for s in spells)
    context = {
        "nav": "posts", "post": post, "spells": spells, "vacant": vacant, "today": today,
        "holder_form": HolderForm(), "end_form": EndForm(), "close_form": CloseForm(),
        "candidates": eligibility.candidates(post.area, today) if vacant else [],
    }  # fmt: skip
    return render(request, "posts/detail.html", context)


@staff_required
@require_POST
def holder_new(request, pk: int):
    post = _post(request, pk)
    form = HolderForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["id_number"].strip().upper()
        person = Person.objects.for_user(request.user).filter(id_number=number).first()
        if person is None:
            messages.error(request, "您管辖区域的名册中没有此证件号码。")
        else:
            try:
                actions.start_spell(request.user, post, person, form.cleaned_data["started_on"])
                messages.success(request, f"{person.name} 已上岗。")
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _messages(exc))
    else:
        messages.error(request, "请填写证件号码和上岗日期。")
    return redirect("posts:detail", pk=post.pk)


@staff_required
@require_POST
def spell_end(request, pk: int):
    spell = get_object_or_404(Spell.objects.for_user(request.user), pk=pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            actions.end_spell(request.user, spell, form.cleaned_data["ended_on"])
            messages.success(request, "已办理离岗。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _messages(exc))
    else:
        messages.error(request, "请填写离岗日期。")
    return redirect("posts:detail", pk=spell.post_id)


@staff_required
@require_POST
def post_close(request, pk: int):
    post = _post(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            actions.close_post(request.user, post, form.cleaned_data["closed_on"])
            messages.success(request, "岗位已撤销。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _messages(exc))
    return redirect("posts:detail", pk=post.pk)


@staff_required
def villages(request):
    area = _area(request)
    today = timezone.localdate()
    rows = figures.poor_villages(area, today)
    return render(
        request, "posts/villages.html", {"nav": "posts", "area": area, "rows": rows, "today": today}
    )


# --- the duty sheet -----------------------------------------------------------------------------------


def _sheet_areas(user, area: Area, month: str) -> list[Area]:
    """The villages and townships of `area` with posts held in `month` (those a sheet can be filled for)."""
    first, last = month_bounds(month)
    codes = (
        Spell.objects.for_user(user).for_area(area).filter(held_in(first, last))
        .values_list("area_id", flat=True).order_by("area_id").distinct()
    )  # fmt: skip
    return list(Area.objects.filter(code__in=list(codes)).order_by("code"))


@staff_required
def duty_sheet(request):
    """出勤填报: one page per village (or township) and month, a line per holder, each saved on its own."""
    area = _area(request)
    month = _month(request)
    own_sheet = area.level == Level.VILLAGE or (
        area.level == Level.TOWNSHIP and request.GET.get("area") and actions.holders_in(area, month).exists()
    )
    if not own_sheet:
        choices = _sheet_areas(request.user, area, month)
        return render(request, "posts/duty_pick.html", {"nav": "posts", "area": area, "month": month,
                                                        "choices": choices})  # fmt: skip
    spells = list(
        actions.holders_in(area, month).filter(pk__in=Spell.objects.for_user(request.user).values("pk"))
        .select_related("person", "post").order_by("post__number", "started_on")
    )  # fmt: skip
    kept = {d.person_id: d for d in Duty.objects.for_user(request.user).filter(
        month=month, person__in=[s.person_id for s in spells])}  # fmt: skip
    lines = [{"spell": s, "duty": kept.get(s.person_id), "month": month} for s in spells]
    return render(
        request, "posts/duty_sheet.html", {"nav": "posts", "area": area, "month": month, "lines": lines}
    )


@staff_required
@require_POST
def duty_save(request, pk: int):
    """Save one line of the sheet (htmx): the holder of spell `pk`, the month posted."""
    spell = get_object_or_404(Spell.objects.for_user(request.user).select_related("person", "post"), pk=pk)
    month = _month(request)
    days = as_int(request.POST.get("days_on_duty"), 0, 31)
    due = as_int(request.POST.get("days_due"), 0, 31)
    error, saved = "", False
    duty = Duty.objects.filter(person=spell.person, month=month).first()
    if days is None or due is None:
        error = "请填写在岗天数和应出勤天数（整数）。"
    else:
        try:
            duty, saved = actions.save_duty(request.user, spell.person, month, days, due, within=spell.area)
        except (ValidationError, PermissionDenied) as exc:
            error = _messages(exc)
    line = {"spell": spell, "duty": duty, "month": month, "error": error, "saved": not error,
            "changed": saved, "days": days, "due": due}  # fmt: skip
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect(f"/posts/duty/?area={spell.area_id}&month={month}")
    # htmx swaps only 2xx answers: a refused line comes back 200 with its reason shown in place.
    return render(request, "posts/_duty_line.html", {"line": line})


# --- imports ---------------------------------------------------------------------------------------------


@staff_required
def import_list(request):
    imports = PostImport.objects.for_user(request.user).select_related("area", "user")
    reap_batches(imports)
    context = paginate(request, imports.order_by("-created_at", "-id"), per_page=30)
    context["nav"] = "posts"
    return render(request, "posts/import_list.html", context)


@staff_required
def import_new(request):
    initial = {
        "kind": request.GET.get("kind") if request.GET.get("kind") in ImportKind.values else ImportKind.POSTS
    }
    form = ImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        batch = importer.create_post_import(kind, area=request.user.area, user=request.user, upload=upload)
        try:
            importer.run_post_import(batch)
        except Exception:
            batch.refresh_from_db()
        return redirect("posts:import_detail", pk=batch.pk)
    return render(request, "posts/import_form.html", {"form": form, "nav": "posts"})


def _batch(request, pk: int) -> PostImport:
    return get_object_or_404(PostImport.objects.for_user(request.user).select_related("area", "user"), pk=pk)


@staff_required
def import_detail(request, pk: int):
    batch = _batch(request, pk)
    context = {"batch": batch, "nav": "posts", "report_url": "posts:import_report"}
    context.update(batch_errors(request, batch, personal=True))
    return render(request, "posts/import_detail.html", context)


@staff_required
def import_report(request, pk: int):
    """The rejected rows as uploaded: full ID numbers, for the uploader and those who may see them whole."""
    return report_response(request, _batch(request, pk), what="公益性岗位", personal=True)
