"""Request count and latency by view, counted by ``RequestMetricsMiddleware``.

Labelled by the URL pattern's name (``cases:detail``), never by the path: paths carry
references and tokens, and every distinct label value is a new time series.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from prometheus_client import CollectorRegistry, Counter, Histogram

# Our own registry, not prometheus_client's global one: /metrics shows what we
# define (and, in multi-process mode, what every process wrote; see views.py).
REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "willkommen_http_requests",
    "HTTP requests answered, by view, method and status code.",
    ["view", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "willkommen_http_request_duration_seconds",
    "Time from the request reaching Django to the answer leaving it, by view.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)

UNRESOLVED = "<unresolved>"  # no URL pattern matched (404s, scanners): one series for all
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNRESOLVED
    return match.view_name or match.route or UNRESOLVED


class RequestMetricsMiddleware:
    """Outermost middleware: counts every answer, also those other middleware give."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_label(request)
        method = request.method if request.method in KNOWN_METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        LATENCY.labels(view, method).observe(elapsed)
        return response


# --- request ids --------------------------------------------------------------

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
# What we accept from our proxy (nginx's $request_id is 32 hex digits).
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id() -> str:
    """The id of the request being handled in this thread or task ("" outside one)."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every log record (LOGGING's console handler)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    """Gives each request an id: our proxy's X-Request-ID, or a new one; sent back too.

    The header is taken only behind our own proxy (TRUST_X_FORWARDED_FOR): elsewhere a
    client could make its lines look like someone else's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = settings.TRUST_X_FORWARDED_FOR and REQUEST_ID.match(given)
        # Not reset on the way out: Django logs a 4xx/5xx answer (django.request) after
        # the middleware returned; ``forget_request_id`` clears it when the answer is sent.
        _request_id.set(given if trusted else uuid.uuid4().hex)
        response = self.get_response(request)
        response["X-Request-ID"] = _request_id.get()
        return response


def forget_request_id(**kwargs):
    """request_finished: lines logged between requests carry no request's id."""
    _request_id.set("")
