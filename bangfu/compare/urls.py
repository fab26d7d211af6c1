from django.urls import path
from django.views.generic import RedirectView

from bangfu.compare import views
from bangfu.core.access import staff_required

app_name = "compare"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("new/", views.run_new, name="run_new"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/results.csv", views.run_results, name="run_results"),
    path("<int:pk>/report/", views.run_report, name="run_report"),
    path("<int:pk>/again/", views.run_again, name="run_again"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/decide/", views.finding_bulk, name="finding_bulk"),
    path("findings/decide/<int:pk>/", views.bulk_detail, name="bulk_detail"),
    path("findings/export/", views.finding_export, name="finding_export"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/decide/", views.finding_decide, name="finding_decide"),
    path("findings/<int:pk>/people/", views.finding_people, name="finding_people"),
    # The 联系不上 list moved to tracking; old links and bookmarks of staff lead there (others are refused
    # here, as on every staff page).
    path(
        "unreachable/",
        staff_required(
            RedirectView.as_view(pattern_name="tracking:unreachable_list", query_string=True, permanent=True)
        ),
        name="unreachable_moved",
    ),
    path(
        "unreachable/export/",
        staff_required(
            RedirectView.as_view(
                pattern_name="tracking:unreachable_export", query_string=True, permanent=True
            )
        ),
        name="unreachable_export_moved",
    ),
]
