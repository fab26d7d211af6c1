from django.urls import path

from bangfu.ventures import views

app_name = "ventures"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.venture_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/jobs/", views.jobs, name="jobs"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/loans/new/", views.loan_new, name="loan_new"),
    path("loans/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/repay/", views.repay, name="repay"),
    path("loans/<int:pk>/status/", views.loan_status, name="loan_status"),
    path("incubators/", views.incubators, name="incubators"),
    path("incubators/<int:pk>/", views.incubator_detail, name="incubator_detail"),
    path("incubators/<int:pk>/move-in/", views.move_in, name="move_in"),
    path("residencies/<int:pk>/move-out/", views.move_out, name="move_out"),
]
