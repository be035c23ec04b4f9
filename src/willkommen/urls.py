from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from willkommen.accessibility.urls import media_urlpatterns as accessibility_media
from willkommen.api import api
from willkommen.core import views as core_views
from willkommen.core.admin_site import admin_site
from willkommen.monitoring import views as monitoring_views
from willkommen.payments.urls import notify_urlpatterns as payments_notify

# Our admin site replaces the default one, so app admin modules are loaded here.
admin.autodiscover()

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
    path("sso/", include("willkommen.accounts.sso.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("fitconnect/", include("willkommen.intake.urls")),
    path("healthz/live", core_views.healthz_live, name="healthz_live"),
    path("metrics", monitoring_views.metrics, name="metrics"),
    path("", include((accessibility_media, "accessibility_media"))),
    *payments_notify,
]

urlpatterns += i18n_patterns(
    path("staff/controlling/", include("willkommen.controlling.urls")),
    path("staff/booking/", include("willkommen.booking.staff_urls")),
    path("staff/complaints/", include("willkommen.complaints.staff_urls")),
    path("staff/knowledge/", include("willkommen.knowledge.urls")),
    path("appointments/", include("willkommen.booking.urls")),
    path("", include("willkommen.frontdesk.urls")),
    path("", include("willkommen.cases.urls")),
    path("", include("willkommen.complaints.urls")),
    path("", include("willkommen.outreach.urls")),
    path("", include("willkommen.payments.urls")),
    path("staff/", include("willkommen.accounts.urls")),
    path("", include("willkommen.core.urls")),
    path("", include("willkommen.accessibility.urls")),
    path("", include("willkommen.catalog.urls")),
    prefix_default_language=True,
)

handler400 = "willkommen.core.views.bad_request"
handler403 = "willkommen.core.views.permission_denied"
handler404 = "willkommen.core.views.page_not_found"
handler500 = "willkommen.core.views.server_error"
