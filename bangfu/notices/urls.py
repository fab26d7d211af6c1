from django.urls import path

from bangfu.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("badge/", views.badge, name="badge"),
    path("<int:pk>/open/", views.open_notice, name="open"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("sms/", views.outbox, name="outbox"),
]
