from django.urls import path

from willkommen.outreach import public_views, views

app_name = "outreach"
urlpatterns = [
    path("staff/expiry-register/", views.register, name="register"),
    path("staff/expiry-register/<str:reference>/pause/", views.pause, name="pause"),
    path("staff/expiry-register/<str:reference>/resume/", views.resume, name="resume"),
    path("extension/receipt/", public_views.receipt, name="receipt"),
    path("extension/receipt.pdf", public_views.receipt_pdf, name="receipt_pdf"),
    path(
        "status/<str:reference>/extension-receipt.pdf",
        public_views.status_receipt_pdf,
        name="status_receipt_pdf",
    ),
    path("extension/verify/", public_views.verify, name="verify_form"),
    path("extension/verify/<str:code>/", public_views.verify, name="verify"),
    path("extension/<str:token>/", public_views.extension, name="extension"),
]
