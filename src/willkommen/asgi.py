import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")

import django

django.setup()

from willkommen.core.serving import Application  # noqa: E402

# Async views through Django's ASGI handler, the rest through its WSGI handler on a
# thread pool: see willkommen/core/serving.py for why.
application = Application()
