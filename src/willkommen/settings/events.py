"""Webhooks for other systems (willkommen.events), imported by settings/__init__.py.

Each is documented in docs/configuration.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from willkommen.settings.base import PUBLIC_BASE_URL

# The CloudEvents ``source`` of every event: who says it happened.
EVENTS_SOURCE = os.environ.get("EVENTS_SOURCE", "") or f"{PUBLIC_BASE_URL}/"
# How long one POST to a subscriber may take before it counts as failed (and is retried).
EVENTS_TIMEOUT_SECONDS = float(os.environ.get("EVENTS_TIMEOUT_SECONDS", 10))
if not 0.5 <= EVENTS_TIMEOUT_SECONDS <= 120:
    raise ImproperlyConfigured("EVENTS_TIMEOUT_SECONDS must be between 0.5 and 120.")
# Delivered events are deleted after this many days (their bodies may hold personal data).
EVENTS_KEEP_DAYS = int(os.environ.get("EVENTS_KEEP_DAYS", 30))
# How long a worker may take over one POST before another one may send the event again
# (a worker that died mid-send). Longer than EVENTS_TIMEOUT_SECONDS.
EVENTS_LEASE_SECONDS = float(os.environ.get("EVENTS_LEASE_SECONDS", 120))
if EVENTS_LEASE_SECONDS <= 0:
    raise ImproperlyConfigured("EVENTS_LEASE_SECONDS must be positive.")
