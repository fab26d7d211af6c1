from django.urls import path

from bangfu.employment import views

app_name = "employment"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("people/<int:pk>/new/", views.record_create, name="create"),
    path("<int:pk>/end/", views.record_end, name="end"),
    path("mismatches/", views.mismatch_list, name="mismatches"),
    path("mismatches/<int:pk>/", views.mismatch_settle, name="mismatch_settle"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
    path("imports/<int:pk>/resume/", views.import_resume, name="import_resume"),
]
