from django.urls import path

from bangfu.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("pick/", views.pick, name="pick"),
    path("designations/imports/", views.designation_import_list, name="designation_import_list"),
    path("designations/imports/new/", views.designation_import_new, name="designation_import_new"),
    path("designations/imports/<int:pk>/", views.designation_import_detail, name="designation_import_detail"),
    path(
        "designations/imports/<int:pk>/report/",
        views.designation_import_report,
        name="designation_import_report",
    ),
    path(
        "designations/imports/<int:pk>/resume/",
        views.designation_import_resume,
        name="designation_import_resume",
    ),
    path("designations/<int:pk>/", views.designation_detail, name="designation_detail"),
    path("designations/<int:pk>/edit/", views.designation_edit, name="designation_edit"),
    path("designations/<int:pk>/end/", views.designation_end, name="designation_end"),
    path("designations/<int:pk>/void/", views.designation_void, name="designation_void"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/designations/", views.designation_list, name="designation_list"),
    path("<str:code>/designations/new/", views.designation_new, name="designation_new"),
]
