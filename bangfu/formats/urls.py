from django.urls import path

from bangfu.formats import views

app_name = "formats"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:key>/template.xlsx", views.template, name="template"),
]
