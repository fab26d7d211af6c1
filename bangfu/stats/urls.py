from django.urls import path

from bangfu.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export_table, name="export"),
]
