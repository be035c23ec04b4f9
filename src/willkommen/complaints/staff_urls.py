from django.urls import path

from willkommen.complaints import staff_views as views

app_name = "complaints_staff"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_new, name="new"),
    path("import/", views.complaint_import, name="import"),
    path("<str:reference>/", views.complaint_detail, name="detail"),
    path("<str:reference>/move/", views.complaint_move, name="move"),
    path("<str:reference>/reply/", views.complaint_reply, name="reply"),
]
