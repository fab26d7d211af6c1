"""工作台: the user's area at a glance, at every level from village to province — its figures today
(stats/figures.py), their trend by month, the sub-areas sortable by any figure, open warnings and the
panels other apps add (`panels.py`: targets, supervision tasks due …)."""

from django.shortcuts import render
from django.utils import timezone

from bangfu.core.access import staff_required
from bangfu.dashboard import panels
from bangfu.stats.views import table_context


@staff_required
def home(request):
    area, today = request.user.area, timezone.localdate()
    context = table_context(request, area, today, page="dashboard")
    context.update({"panels": panels.render_all(request, area, today), "nav": "dashboard"})
    return render(request, "dashboard/home.html", context)
