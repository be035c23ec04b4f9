from django.urls import path

from willkommen.complaints import views

app_name = "complaints"
urlpatterns = [
    path("beschwerde/", views.complaint_form, name="form"),
    path("beschwerde/danke/", views.complaint_received, name="received"),
]
