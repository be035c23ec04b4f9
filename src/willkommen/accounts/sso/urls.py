"""Outside the language prefix: the provider knows one callback and one logout address."""

from django.urls import path

from willkommen.accounts.sso import views

app_name = "accounts_sso"
urlpatterns = [
    path("login/", views.StartView.as_view(), name="login"),
    path("callback/", views.CallbackView.as_view(), name="callback"),
    path("logged-out/", views.LoggedOutView.as_view(), name="logged_out"),
]
