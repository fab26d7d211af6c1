from django.urls import path

from bangfu.supervision import views

app_name = "supervision"
urlpatterns = [
    # 督办事项: what the areas of the user's subtree were given, overdue ones rolled up
    path("", views.assignment_list, name="assignment_list"),
    path("items/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("items/<int:pk>/reply/", views.assignment_reply, name="assignment_reply"),
    path("replies/<int:pk>/review/", views.reply_review, name="reply_review"),
    # 督办任务 sent
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    # 整改台账
    path("rectifications/", views.rect_list, name="rect_list"),
    path("rectifications/export/", views.rect_export, name="rect_export"),
    path("rectifications/new/", views.rect_new, name="rect_new"),
    path("rectifications/<int:pk>/", views.rect_detail, name="rect_detail"),
    path("rectifications/<int:pk>/update/", views.rect_update, name="rect_update"),
    path("rectifications/<int:pk>/close/", views.rect_close, name="rect_close"),
]
