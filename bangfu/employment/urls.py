from django.urls import path

from bangfu.employment import views

app_name = "employment"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("people/<int:pk>/new/", views.record_create, name="create"),
    path("<int:pk>/end/", views.record_end, name="end"),
    path("mismatches/", views.mismatch_list, name="mismatches"),
    path("mismatches/<int:pk>/", views.mismatch_settle, name="mismatch_settle"),
]
