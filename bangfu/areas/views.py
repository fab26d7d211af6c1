"""Area browser: drill down from the user's own area, search inside it."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from bangfu.accounts.models import User
from bangfu.areas.models import Area, Level, normalize_code
from bangfu.areas.stats import level_counts, rollup
from bangfu.core.access import staff_required


def scoped_area(user, raw_code: str) -> Area:
    """The area with this code if it lies in the user's subtree; 404 otherwise."""
    try:
        code = normalize_code(raw_code)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    return get_object_or_404(Area.objects.for_user(user), code=code)


def breadcrumbs(user, area: Area) -> list[tuple[Area, bool]]:
    """Ancestors and the area itself, each with whether the user may open it."""
    chain = [*area.ancestors(), area]
    return [(a, user.area.contains(a)) for a in chain]


def children_table(user, area: Area) -> list[dict]:
    children = list(Area.objects.for_user(user).filter(parent=area).current().order_by("code"))
    villages = rollup(children, Area.objects.for_area(area).current().filter(level=Level.VILLAGE), "code")
    users = rollup(children, User.objects.for_area(area).staff().filter(is_active=True), "area_id")
    return [
        {"area": child, "villages": villages.get(child.code, 0), "users": users.get(child.code, 0)}
        for child in children
    ]


@staff_required
def index(request):
    return redirect("areas:detail", code=request.user.area.short_code)


@staff_required
def detail(request, code: str):
    area = scoped_area(request.user, code)
    counts = level_counts(area)
    return render(
        request,
        "areas/detail.html",
        {
            "area": area,
            "crumbs": breadcrumbs(request.user, area),
            "rows": children_table(request.user, area),
            "level_counts": [
                (Level(level).label, counts.get(level, 0)) for level in range(area.level + 1, 6)
            ],
            "users": User.objects.for_area(area)
            .staff()
            .filter(area=area, is_active=True)
            .order_by("username"),
            "nav": "areas",
        },
    )


@staff_required
def search(request):
    """Find areas by name or code within the user's subtree."""
    q = request.GET.get("q", "").strip()
    results = Area.objects.for_user(request.user).current().search(q).order_by("code")[:100] if q else []
    template = "areas/_search_results.html" if request.headers.get("HX-Request") else "areas/search.html"
    return render(request, template, {"q": q, "results": results, "nav": "areas"})


@staff_required
def pick(request):
    """htmx: areas matching a name or code, for filling a form's area-code field."""
    q = request.GET.get("q", "").strip()
    results = Area.objects.for_user(request.user).current().search(q).order_by("code")[:20] if q else []
    return render(request, "areas/_pick_results.html", {"results": results})
