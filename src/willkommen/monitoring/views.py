"""/metrics in Prometheus' text format, for a scraper with the token or an allowed address."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from willkommen.core.ratelimit import client_ip
from willkommen.monitoring import requests
from willkommen.monitoring.collectors import DatabaseCollector


def allowed(request) -> bool:
    """The bearer token, or an address in METRICS_ALLOWED_ADDRESSES."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    if settings.METRICS_TOKEN and hmac.compare_digest(token, settings.METRICS_TOKEN):
        return True
    if settings.METRICS_ALLOWED_ADDRESSES:
        try:
            address = ipaddress.ip_address(client_ip(request))
        except ValueError:
            return False
        return any(address in network for network in settings.METRICS_ALLOWED_ADDRESSES)
    return False


def _registry() -> CollectorRegistry:
    if settings.PROMETHEUS_MULTIPROC_DIR:
        # Several gunicorn workers: each writes its counters to files there; this
        # collects all of them, whichever worker answers the scrape.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(requests.REGISTRY)  # this process's own request counters
    registry.register(DatabaseCollector())
    return registry


@never_cache
def metrics(request):
    if not allowed(request):
        # Not even the existence of the page is told to strangers.
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
