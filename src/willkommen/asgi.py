"""The ASGI application: Django's own handler.

In production it serves only the display's event stream (deploy/nginx routes
``…/display/<location>/events`` here, everything else to gunicorn on
``willkommen.wsgi``); ``make run`` serves everything with it from one process.
"""

import os

from django.core.asgi import get_asgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
application = get_asgi_application()
# Resolve the URLconf now: it imports every view and builds the API's schema, which
# otherwise the first request of each fresh worker pays for (a person's request).
_urlconf = get_resolver().url_patterns
