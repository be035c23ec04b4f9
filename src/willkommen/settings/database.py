"""The database, the shared cache, the task queue and the worker's sweeps."""

import hashlib
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from willkommen.env import env_bool
from willkommen.settings.base import BASE_DIR, VAR_DIR

# --- database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'willkommen.sqlite3'}")
_default_db = dj_database_url.parse(
    DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", 0))
)
# A test database name unique to this checkout, so that two checkouts (git
# worktrees, CI next to a developer) never drop each other's test database.
_checkout = hashlib.sha1(str(BASE_DIR).encode(), usedforsecurity=False).hexdigest()[:8]
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer writes; IMMEDIATE takes the
    # write lock at BEGIN so concurrent writers queue (busy timeout) instead of
    # failing half-way through a transaction with "database is locked".
    _default_db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # A file (not :memory:) so that tests with threads and a live server share it.
    _default_db["TEST"] = {"NAME": str(VAR_DIR / f"test_{_checkout}.sqlite3")}
else:
    _default_db["TEST"] = {"NAME": f"test_willkommen_{_checkout}"}
    # Parameters sent apart from the query text, and statements that run again prepared
    # by the server (parsed and planned once per connection, not on every run). Django
    # switches preparing off unless told; psycopg keeps the last 100 per connection.
    # Both save CPU on every repeated query (bench/README.md has the figures). Both off
    # for a PgBouncer in transaction mode older than 1.21 (DB_SERVER_SIDE_BINDING=false
    # switches off both).
    if env_bool("DB_SERVER_SIDE_BINDING", True):
        _default_db.setdefault("OPTIONS", {})["server_side_binding"] = True
        _prepare = os.environ.get("DB_PREPARE_THRESHOLD", "2").strip().lower()
        if _prepare not in ("", "none", "off"):
            if not _prepare.isdigit():
                raise ImproperlyConfigured(
                    f"DB_PREPARE_THRESHOLD must be a whole number or 'off', not {_prepare!r}."
                )
            # Prepared from the run after this many: one-off statements stay unprepared.
            _default_db["OPTIONS"]["prepare_threshold"] = int(_prepare)
    # A gunicorn sync worker handles one request at a time and needs one connection
    # (DB_CONN_MAX_AGE keeps it open between requests). The pool is for processes with
    # many threads or streams at once: the ASGI server's display streams share at
    # most DB_POOL_MAX_SIZE connections and wait for a free one instead of PostgreSQL
    # refusing new ones. 0 = no pool (then DB_CONN_MAX_AGE applies).
    _pool_max = int(os.environ.get("DB_POOL_MAX_SIZE", 0))
    if _pool_max:
        _default_db["CONN_MAX_AGE"] = 0
        _default_db.setdefault("OPTIONS", {})["pool"] = {
            # A pool that grows on demand opens one connection at a time while requests
            # wait; by default it keeps all of them once opened.
            "min_size": min(int(os.environ.get("DB_POOL_MIN_SIZE", _pool_max)), _pool_max),
            "max_size": _pool_max,
            "timeout": int(os.environ.get("DB_POOL_TIMEOUT", 30)),
        }
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared across all server processes: rate limits and lockouts must hold for
# every worker, so they cannot live in per-process memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "willkommen_cache",
    }
}

# --- background tasks -----------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- background work (manage.py worker) -------------------------------------
# The sweeps `manage.py worker` runs beside the task queue: (an app's management
# command, seconds between runs). Not read from the environment: this is the wiring
# of the apps, like INSTALLED_APPS.
WORKER_SWEEPS = [
    ("send_outbox", 5),  # mails whose prompt delivery task failed or never ran
    ("deliver_events", 2),  # webhook events to the subscribers (events/delivery.py)
    # expires holds, returns cancelled capacity, allocates request windows,
    # materialises slots and queues tomorrow's reminders
    ("booking_sweep", 60),
    ("mark_no_shows", 60),  # appointments not checked in, visits of earlier days
    ("purge_ratelimits", 3600),
    ("apply_case_retention", 24 * 3600),
    ("apply_report_retention", 24 * 3600),  # barrier reports (accessibility)
    # FIT-Connect (intake): the fallback for missed callbacks, and the retry of events
    # not yet delivered
    ("fitconnect_poll", 60),
    ("send_invitations", 3600),  # expiry invitations at their lead times (outreach)
]
