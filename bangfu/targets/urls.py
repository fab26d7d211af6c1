from django.urls import path

from bangfu.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.index, name="index"),
    path("set/", views.target_set, name="set"),
    path("<int:pk>/split/", views.target_split, name="split"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
]
