"""The ASGI application: Django's own handler.

In production it serves only the display's event stream (deploy/nginx routes
``…/display/<location>/events`` here, everything else to gunicorn on
``willkommen.wsgi``); ``make run`` serves everything with it from one process.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
application = get_asgi_application()
