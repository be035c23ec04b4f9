from django.urls import path

from willkommen.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("services/<slug:slug>/", views.service_detail, name="service"),
    path("services/<slug:slug>/checklist/", views.personal_checklist, name="checklist"),
    path("services/<slug:slug>/checklist.pdf", views.personal_checklist_pdf, name="checklist_pdf"),
    path("locations/", views.locations, name="locations"),
]
