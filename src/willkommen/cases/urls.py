from django.urls import path

from willkommen.cases import public_views
from willkommen.cases.views import cases as views
from willkommen.cases.views import contact, documents

app_name = "cases"
staff = [
    path("staff/cases/", views.case_list, name="list"),
    path("staff/cases/new/", views.open_case, name="open"),
    path("staff/messages/", contact.contact_requests, name="contact_requests"),
    path(
        "staff/messages/<str:reference>/answered/",
        contact.mark_contact_answered,
        name="contact_answered",
    ),
    path("staff/cases/<str:reference>/", views.case_detail, name="detail"),
    path("staff/cases/<str:reference>/status/", views.change_status, name="change_status"),
    path(
        "staff/cases/<str:reference>/classification/",
        views.change_classification,
        name="change_classification",
    ),
    path("staff/cases/<str:reference>/take/", views.take, name="take"),
    path("staff/cases/<str:reference>/reassign/", views.reassign, name="reassign"),
    path("staff/cases/<str:reference>/notes/", views.add_note, name="add_note"),
    path("staff/cases/<str:reference>/family/", views.add_family_member, name="add_family"),
    path("staff/cases/<str:reference>/agencies/", views.add_agency_request, name="add_agency"),
    path(
        "staff/cases/<str:reference>/agencies/<int:pk>/answer/",
        views.answer_agency_request,
        name="answer_agency",
    ),
    path(
        "staff/cases/<str:reference>/certificates/",
        views.issue_interim_certificate,
        name="add_certificate",
    ),
    path(
        "staff/cases/<str:reference>/access-code/",
        views.rotate_access_code,
        name="rotate_access_code",
    ),
    path("staff/cases/<str:reference>/documents/", documents.upload, name="upload"),
    path("staff/cases/<str:reference>/documents/<int:pk>/", documents.download, name="download"),
    path("staff/cases/<str:reference>/receipt.pdf", documents.receipt_pdf, name="receipt_pdf"),
]
public = [
    path("status/", public_views.status_lookup, name="status_lookup"),
    path("status/leave/", public_views.status_leave, name="status_leave"),
    path("status/<str:reference>/", public_views.status_page, name="status"),
    path("apply/skilled-worker/", public_views.skilled_worker_form, name="skilled_worker_form"),
    path("apply/naturalisation/", public_views.naturalisation_form, name="naturalisation_form"),
    path("apply/thank-you/", public_views.submitted, name="submitted"),
    path("contact/", public_views.contact_form, name="contact"),
]
urlpatterns = staff + public
