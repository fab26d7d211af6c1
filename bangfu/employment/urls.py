from django.urls import path

from bangfu.employment import views

app_name = "employment"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("people/<int:pk>/new/", views.record_create, name="create"),
    path("<int:pk>/end/", views.record_end, name="end"),
]
