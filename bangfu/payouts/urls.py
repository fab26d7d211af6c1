from django.urls import path

from bangfu.payouts import views

app_name = "payouts"
urlpatterns = [
    path("", views.list_index, name="list_index"),
    path("new/", views.list_new, name="list_new"),
    path("<int:pk>/", views.list_detail, name="list_detail"),
    path("<int:pk>/recheck/", views.list_recheck, name="list_recheck"),
    path("<int:pk>/approve/", views.list_approve, name="list_approve"),
    path("<int:pk>/return/", views.list_return, name="list_return"),
    path("<int:pk>/file/", views.list_file, name="list_file"),
    path("<int:pk>/bank/", views.list_bank, name="list_bank"),
    path("summary/", views.summary, name="summary"),
    path("accounts/person/<int:pk>/", views.person_account, name="person_account"),
    path("accounts/employer/<int:pk>/", views.employer_account, name="employer_account"),
    path("rights/", views.rights, name="rights"),
    path("rights/<int:pk>/", views.right_toggle, name="right_toggle"),
]
