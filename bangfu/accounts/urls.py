from django.contrib.auth import views as auth_views
from django.urls import path

from bangfu.accounts import views
from bangfu.core.headers import clear_site_data

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", clear_site_data(auth_views.LogoutView.as_view()), name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/token/", views.token_issue, name="token_issue"),
    path("me/token/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/phone/", views.user_reveal_phone, name="user_reveal_phone"),
]
