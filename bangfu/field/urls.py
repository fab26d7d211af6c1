from django.urls import path

from bangfu.field import views

app_name = "field"
urlpatterns = [
    path("", views.app, name="app"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("people.json", views.people, name="people"),
    path("sync/", views.sync, name="sync"),
]
