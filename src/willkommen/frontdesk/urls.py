from django.urls import path

from willkommen.frontdesk import display, views

app_name = "frontdesk"
urlpatterns = [
    path("staff/frontdesk/reception/", views.reception, name="reception"),
    path("staff/frontdesk/reception/ticket/", views.issue_ticket, name="issue_ticket"),
    path("staff/frontdesk/reception/settle/", views.settle, name="settle"),
    path(
        "staff/frontdesk/reception/check-in/<int:appointment_id>/",
        views.check_in,
        name="check_in",
    ),
    path("staff/frontdesk/visits/<int:pk>/ticket/", views.ticket_print, name="ticket_print"),
    path("staff/frontdesk/visits/<int:pk>/ticket.pdf", views.ticket_pdf, name="ticket_pdf"),
    path("staff/frontdesk/visits/<int:pk>/documents/", views.documents, name="documents"),
    path("staff/frontdesk/visits/<int:pk>/left/", views.left, name="left"),
    path("staff/frontdesk/clerk/", views.clerk, name="clerk"),
    path("staff/frontdesk/clerk/sign-in/", views.sign_in, name="sign_in"),
    path("staff/frontdesk/clerk/sign-out/", views.sign_out, name="sign_out"),
    path("staff/frontdesk/clerk/next/", views.call_next, name="call_next"),
    path("staff/frontdesk/clerk/visits/<int:pk>/transfer/", views.transfer, name="transfer"),
    path("staff/frontdesk/clerk/visits/<int:pk>/finish/", views.finish, name="finish"),
    path(
        "staff/frontdesk/clerk/visits/<int:pk>/<slug:action>/",
        views.visit_action,
        name="visit_action",
    ),
    path("staff/frontdesk/overview/", views.overview, name="overview"),
    path("staff/frontdesk/visits/<int:pk>/priority/", views.reprioritise, name="reprioritise"),
    path("staff/frontdesk/visits/<int:pk>/queue/", views.reassign, name="reassign"),
    path("display/<slug:slug>/", display.display, name="display"),
    path("display/<slug:slug>/events", display.events, name="display_events"),
    path("display/<slug:slug>/calls", display.calls, name="display_calls"),
    path("ticket/<str:token>/", views.ticket_status, name="ticket"),
]
