from django.urls import path

from bangfu.training import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("needs/", views.needs, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/registry/", views.needs_registry, name="needs_registry"),
    path("needs/<int:pk>/drop/", views.need_drop, name="need_drop"),
    path("untrained/", views.untrained, name="untrained"),
    path("providers/", views.providers, name="providers"),
    path("courses/", views.courses, name="courses"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/enrol/", views.course_enrol, name="course_enrol"),
    path("courses/<int:pk>/enrol-many/", views.course_enrol_many, name="course_enrol_many"),
    path("enrolments/<int:pk>/complete/", views.enrolment_complete, name="enrolment_complete"),
    path("enrolments/<int:pk>/attendance/", views.enrolment_attendance, name="enrolment_attendance"),
    path("enrolments/<int:pk>/drop/", views.enrolment_drop, name="enrolment_drop"),
    path("youth/", views.youth, name="youth"),
    path("youth/<int:pk>/follow-up/", views.youth_follow, name="youth_follow"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
]
