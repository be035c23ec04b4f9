from django.urls import path

from willkommen.intake import views

app_name = "intake"

urlpatterns = [
    path("callback/<str:destination_id>", views.callback, name="callback"),
]
