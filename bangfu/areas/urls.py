from django.urls import path

from bangfu.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("pick/", views.pick, name="pick"),
    path("<str:code>/", views.detail, name="detail"),
]
