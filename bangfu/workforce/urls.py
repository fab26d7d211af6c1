from django.urls import path

from bangfu.workforce import views

app_name = "workforce"
urlpatterns = [
    # the enterprise portal (enterprise accounts)
    path("employers/portal/people/", views.portal_list, name="portal_list"),
    path("employers/portal/people/new/", views.portal_hire_new, name="portal_hire_new"),
    path("employers/portal/people/import/", views.portal_import, name="portal_import"),
    path("employers/portal/people/template/<slug:key>.xlsx", views.portal_template, name="portal_template"),
    path("employers/portal/people/<int:pk>/", views.portal_hire, name="portal_hire"),
    path("employers/portal/people/<int:pk>/leave/", views.portal_leave, name="portal_leave"),
    path("employers/portal/wages/", views.portal_wages, name="portal_wages"),
    # staff
    path("workforce/", views.staff_list, name="list"),
]
