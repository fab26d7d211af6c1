from django.urls import path

from bangfu.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_create, name="create"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/step/", views.referral_step, name="step"),
    path("<int:pk>/interview/", views.referral_interview, name="interview"),
    path("people/<int:pk>/service/", views.person_service, name="person_service"),
    path("services/", views.services_bulk, name="services_bulk"),
    path("norms/", views.norms_page, name="norms"),
    path("norms/behind/", views.norms_behind, name="norms_behind"),
    path("norms/export/", views.norms_export, name="norms_export"),
    path("portal/", views.portal, name="portal"),
    path("portal/<int:pk>/", views.portal_detail, name="portal_detail"),
    path("portal/<int:pk>/answer/", views.portal_step, name="portal_step"),
    path("portal/<int:pk>/phone/", views.portal_phone, name="portal_phone"),
]
