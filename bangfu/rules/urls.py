from django.urls import path

from bangfu.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.index, name="index"),
    path("load/", views.rules_load, name="load"),
    path("<str:code>/", views.area_rules, name="area"),
    path("<str:code>/<slug:kind>/new/", views.rule_new, name="new"),
    path("withdraw/<slug:kind>/<int:pk>/", views.rule_withdraw, name="withdraw"),
]
