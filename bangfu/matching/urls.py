from django.urls import path

from bangfu.matching import views

app_name = "matching"
urlpatterns = [
    path("person/<int:pk>/", views.person_matches, name="person"),
    path("job/<int:pk>/", views.job_matches, name="job"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/file/", views.run_file, name="run_file"),
    path("runs/<int:pk>/again/", views.run_again, name="run_again"),
]
