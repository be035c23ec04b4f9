from django.urls import path

from willkommen.booking import views

app_name = "booking"
urlpatterns = [
    path("", views.start, name="start"),
    path("emergency/", views.emergency, name="emergency"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("appointment/<str:token>/", views.manage, name="manage"),
    path("appointment/<str:token>/calendar.ics", views.calendar_file, name="ics"),
    path("appointment/<str:token>/confirmation.pdf", views.confirmation_pdf, name="pdf"),
    path("appointment/<str:token>/cancel/", views.cancel, name="cancel"),
    path("appointment/<str:token>/rebook/", views.rebook, name="rebook"),
    path("<slug:location_slug>/<slug:service_slug>/", views.days, name="days"),
    path("<slug:location_slug>/<slug:service_slug>/book/", views.details, name="details"),
    path("<slug:location_slug>/<slug:service_slug>/<str:day>/", views.times, name="times"),
]
