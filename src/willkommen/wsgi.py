"""The WSGI application, served by gunicorn (deploy/gunicorn.conf.py) behind nginx."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
application = get_wsgi_application()
