from django.urls import path

from bangfu.tracking import views

app_name = "tracking"
urlpatterns = [
    # Follow-up visits (跟踪回访)
    path("due/", views.due_list, name="due"),
    path("visits/", views.visit_list, name="visit_list"),
    path("people/<int:pk>/visit/", views.visit_new, name="visit_new"),
    path("unreachable/", views.unreachable_list, name="unreachable_list"),
    path("unreachable/export/", views.unreachable_export, name="unreachable_export"),
    path("unreachable/flag/<int:person_pk>/", views.unreachable_flag, name="unreachable_flag"),
    path("unreachable/<int:pk>/clear/", views.unreachable_clear, name="unreachable_clear"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
    path("imports/<int:pk>/resume/", views.import_resume, name="import_resume"),
    # Warnings (预警) as work.
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/export/", views.warning_export, name="warning_export"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/start/", views.warning_start, name="warning_start"),
    path("warnings/<int:pk>/assign/", views.warning_assign, name="warning_assign"),
    path("warnings/<int:pk>/help/", views.warning_help, name="warning_help"),
    path("warnings/<int:pk>/close/", views.warning_close, name="warning_close"),
    # 帮扶责任人.
    path("people/<int:pk>/responsible/", views.person_responsible, name="person_responsible"),
    path("households/<int:pk>/responsible/", views.household_responsible, name="household_responsible"),
    # 三线 table (trajectory)
    path("lines/", views.lines_table, name="lines"),
    path("lines/people/", views.lines_people, name="lines_people"),
    path("lines/export/", views.lines_export, name="lines_export"),
    # the receiving area (输入地)
    path("receiving/", views.receiving_list, name="receiving"),
    path("receiving/<int:pk>/", views.receiving_detail, name="receiving_detail"),
    path("receiving/<int:pk>/confirm/", views.receiving_confirm, name="receiving_confirm"),
    path("receiving/<int:pk>/visit/", views.receiving_visit, name="receiving_visit"),
]
