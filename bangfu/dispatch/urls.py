from django.urls import path

from bangfu.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("start/", views.round_start, name="round_start"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/<str:kind>/", views.round_file, name="round_file"),
    path("annual/", views.annual_report, name="annual"),
    path("annual/file/", views.annual_file, name="annual_file"),
]
