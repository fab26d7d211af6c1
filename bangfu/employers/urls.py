from django.urls import path

from bangfu.employers import views

app_name = "employers"
urlpatterns = [
    path("", views.employer_list, name="list"),
    path("new/", views.employer_create, name="create"),
    path("<int:pk>/", views.employer_detail, name="detail"),
    path("<int:pk>/edit/", views.employer_edit, name="edit"),
    path("<int:pk>/accounts/", views.account_create, name="account_create"),
    path("<int:pk>/accounts/<int:user_pk>/unlink/", views.account_unlink, name="account_unlink"),
    path("cooperation/", views.cooperation_list, name="cooperation_list"),
    path("cooperation/new/", views.cooperation_create, name="cooperation_create"),
    path("cooperation/<int:pk>/end/", views.cooperation_end, name="cooperation_end"),
    path("portal/", views.portal, name="portal"),
    path("portal/jobs/new/", views.portal_job_create, name="portal_job_create"),
    path("portal/jobs/<int:pk>/", views.portal_job_edit, name="portal_job_edit"),
    path("portal/jobs/<int:pk>/status/", views.portal_job_status, name="portal_job_status"),
]
