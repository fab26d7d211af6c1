from django.urls import path

from bangfu.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("postings/", views.postings, name="postings"),
    path("new/", views.job_create, name="create"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/edit/", views.job_edit, name="edit"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("occupations/", views.occupations, name="occupations"),
    path("occupations/suggest/", views.occupation_suggest, name="occupation_suggest"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
    path("imports/<int:pk>/resume/", views.import_resume, name="import_resume"),
]
