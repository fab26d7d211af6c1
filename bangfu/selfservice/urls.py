from django.urls import path

from bangfu.selfservice import views

app_name = "selfservice"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("login/code/", views.code, name="code"),
    path("login/who/", views.who, name="who"),
    path("logout/", views.sign_out, name="logout"),
    path("", views.home, name="home"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<int:pk>/", views.referral, name="referral"),
    path("wishes/", views.wishes, name="wishes"),
    path("work/", views.records, name="records"),
    path("work/<int:pk>/", views.record, name="record"),
    path("policies/", views.policies, name="policies"),
]
