from django.urls import path

from bangfu.pension import views

app_name = "pension"
urlpatterns = [
    path("roster/", views.roster_page, name="roster"),
    path("roster/export/", views.roster_export, name="roster_export"),
    path("roster/confirm/", views.roster_confirm, name="roster_confirm"),
    path("ageing/", views.ageing_page, name="ageing"),
    path("rates/", views.rates_page, name="rates"),
    path("rates/people/", views.rate_people, name="rate_people"),
    path("burden/", views.burden_page, name="burden"),
    path("burden/export/", views.burden_export, name="burden_export"),
]
