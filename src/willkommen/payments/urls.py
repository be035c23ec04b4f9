from django.urls import path

from willkommen.payments import views

app_name = "payments"
urlpatterns = [
    path("payments/pay/<str:reference>/", views.pay, name="pay"),
    path("payments/return/<str:request_id>/", views.payment_return, name="return"),
    path("staff/payments/", views.counter, name="counter"),
    path("staff/payments/cash-report/<int:counter_id>.csv", views.cash_report, name="cash_report"),
]
# Outside the language prefix: the provider's server calls it.
notify_urlpatterns = [
    path("payments/notify/<str:provider>/", views.notify, name="payments_notify"),
]
