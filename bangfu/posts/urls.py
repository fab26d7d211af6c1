from django.urls import path

from bangfu.posts import views

app_name = "posts"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.post_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/holders/new/", views.holder_new, name="holder_new"),
    path("<int:pk>/close/", views.post_close, name="close"),
    path("holders/<int:pk>/end/", views.spell_end, name="spell_end"),
    path("villages/", views.villages, name="villages"),
    path("duty/", views.duty_sheet, name="duty"),
    path("duty/<int:pk>/", views.duty_save, name="duty_save"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
]
