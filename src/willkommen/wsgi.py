"""The WSGI application, served by gunicorn (deploy/gunicorn.conf.py) behind nginx."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
application = get_wsgi_application()
# Resolve the URLconf now: it imports every view and builds the API's schema, which
# otherwise the first request of each fresh worker pays for (a person's request).
_urlconf = get_resolver().url_patterns
