from django.urls import path

from willkommen.controlling import views

app_name = "controlling"
urlpatterns = [
    path("staffing/", views.staffing, name="staffing"),
    path("staffing/import/", views.import_tasks, name="import_tasks"),
    path("staffing/<int:pk>/", views.staffing_run, name="staffing_run"),
    path("queue/", views.queue, name="queue"),
    path("simulation/", views.simulations, name="simulations"),
    path("simulation/<int:pk>/", views.simulation_run, name="simulation"),
]
