from django.urls import path

from bangfu.fairs import views

app_name = "fairs"
urlpatterns = [
    path("", views.fair_list, name="list"),
    path("new/", views.fair_create, name="create"),
    path("jobs/", views.job_search, name="job_search"),
    path("<int:pk>/", views.fair_detail, name="detail"),
    path("<int:pk>/edit/", views.fair_edit, name="edit"),
    path("<int:pk>/invite/", views.fair_invite, name="invite"),
    path("<int:pk>/attendance/", views.fair_attendance, name="attendance"),
    path("<int:pk>/refer/", views.fair_refer, name="refer"),
    path("<int:pk>/interviews/", views.fair_interviews, name="interviews"),
]
