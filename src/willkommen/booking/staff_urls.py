from django.urls import path

from willkommen.booking import staff_views as views

app_name = "booking_staff"
urlpatterns = [
    path("", views.day_plan, name="day_plan"),
    path("book/", views.staff_book, name="book"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/plan/", views.plan, name="plan"),
    path("appointments/<int:pk>/tasks/", views.add_task, name="add_task"),
    path("appointments/<int:pk>/tasks/<int:task_pk>/", views.toggle_task, name="toggle_task"),
    path("appointments/<int:pk>/cancel/", views.staff_cancel, name="cancel"),
    path("appointments/<int:pk>/move/", views.staff_move, name="move"),
    path("emergency/", views.triage, name="triage"),
    path("emergency/<int:pk>/", views.triage_request, name="triage_request"),
    path("emergency/<int:pk>/document", views.triage_attachment, name="triage_attachment"),
]
