"""/metrics and /healthz (willkommen.monitoring, core/health.py), imported by settings/__init__.py.

Each is documented in docs/configuration.md.
"""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

from willkommen.env import env_list
from willkommen.settings.base import LOGGING

# Who may read /metrics: a scraper that sends ``Authorization: Bearer <METRICS_TOKEN>``,
# or one whose address is in METRICS_ALLOWED_ADDRESSES (addresses or networks). With
# neither set, /metrics answers 404 to everyone.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
try:
    METRICS_ALLOWED_ADDRESSES = [
        ipaddress.ip_network(item, strict=False)
        for item in env_list("METRICS_ALLOWED_ADDRESSES", "")
    ]
except ValueError as exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_ADDRESSES: {exc}") from exc

# /healthz fails when the oldest mail not yet sent waited longer than this (seconds)…
HEALTHZ_OUTBOX_MAX_AGE = int(os.environ.get("HEALTHZ_OUTBOX_MAX_AGE", 15 * 60))
# …or when no worker (manage.py worker) has reported for this long (seconds).
HEALTHZ_WORKER_MAX_AGE = int(os.environ.get("HEALTHZ_WORKER_MAX_AGE", 3 * 60))

# With several server processes (gunicorn workers), each writes its request counters
# to files in this directory and /metrics adds them up (prometheus-client's multi-process
# mode; the library reads the same variable). Empty: each process counts for itself.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")

# --- logs -------------------------------------------------------------------
# "plain" (a line of text) or "json" (one JSON object a line, for a log collector).
# Every line logged while a request is handled carries its request_id (X-Request-ID
# from our own proxy, or one made here), which the answer also carries.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING["filters"] = {"request_id": {"()": "willkommen.monitoring.requests.RequestIdFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["request_id"]
LOGGING["formatters"]["json"] = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
if LOG_FORMAT == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
