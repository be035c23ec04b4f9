from django.urls import path, re_path

from willkommen.controlling import views

app_name = "controlling"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^export\.(?P<file_format>csv|xlsx)$", views.export_kpis, name="export"),
    path("next-free/", views.next_free, name="next_free"),
    path("report/", views.council_report, name="report"),
    path("report.pdf", views.council_report_pdf, name="report_pdf"),
    path("staffing/", views.staffing, name="staffing"),
    path("staffing/import/", views.import_tasks, name="import_tasks"),
    path("staffing/<int:pk>/", views.staffing_run, name="staffing_run"),
    path("queue/", views.queue, name="queue"),
    path("simulation/", views.simulations, name="simulations"),
    path("simulation/<int:pk>/", views.simulation_run, name="simulation"),
]
