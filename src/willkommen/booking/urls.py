from django.urls import path

from willkommen.booking import manage_views, views

app_name = "booking"
urlpatterns = [
    path("", views.start, name="start"),
    path("emergency/", views.emergency, name="emergency"),
    path("window/<int:pk>/", views.window, name="window"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("appointment/<str:token>/", manage_views.manage, name="manage"),
    path("appointment/<str:token>/calendar.ics", manage_views.calendar_file, name="ics"),
    path("appointment/<str:token>/confirmation.pdf", manage_views.confirmation_pdf, name="pdf"),
    path("appointment/<str:token>/cancel/", manage_views.cancel, name="cancel"),
    path("appointment/<str:token>/rebook/", manage_views.rebook, name="rebook"),
    path("<slug:location_slug>/<slug:service_slug>/", views.days, name="days"),
    path("<slug:location_slug>/<slug:service_slug>/book/", views.details, name="details"),
    path("<slug:location_slug>/<slug:service_slug>/<str:day>/", views.times, name="times"),
]
