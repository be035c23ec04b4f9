"""Warm a fresh server process before it takes requests.

Django does much of its work lazily, on the first request that needs it: it imports
the URL configuration (and with it every view), builds the URL resolver's reverse
table once per language, compiles each template, and opens database connections.
In a process that has just started that made the first bookings several times slower
than the rest (about 80 ms of CPU for the first hold instead of 6), and after a
restart during opening hours, or right before bookable days are released, those
first requests are the ones the applicants wait for. ``warm_up`` does that work
once, at startup (``core.serving.Application`` runs it on the ASGI lifespan startup,
before uvicorn accepts connections).

Last, it freezes what the start made for the garbage collector (``gc.freeze``): the
modules, URL patterns and templates live as long as the process, about 200,000
objects. Otherwise the cyclic collector's first full collection walked all of them,
and it came during the process's first busy seconds: in the booking rush each worker
stopped for 270–400 ms once (every request of that process waiting), which alone was
the benchmark's p99. Frozen objects are never walked again; what requests make is
collected as before.
"""

from __future__ import annotations

import gc
import logging
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.validators import validate_email
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def app_templates() -> list[str]:
    """The names of the templates in the apps' ``templates`` folders."""
    names = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates"
        if folder.is_dir():
            names += sorted(
                path.relative_to(folder).as_posix()
                for path in folder.rglob("*")
                if path.is_file() and path.suffix in (".html", ".txt", ".xml", ".svg")
            )
    return names


def warm_up() -> dict:
    """Do the lazy work of a first request now; returns what was done, for the log."""
    started = time.perf_counter()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URL configuration and every view)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 (built once per language)
    compiled = 0
    for name in app_templates():
        try:
            get_template(name)
            compiled += 1
        except (TemplateDoesNotExist, TemplateSyntaxError):
            # A fragment that is not a template on its own; the page that uses it says so.
            logger.debug("template %s not compiled on its own", name)
    validate_email("warm-up@example.org")  # compiles the validator's patterns
    for connection in connections.all():
        try:
            connection.ensure_connection()  # with a pool: opens its minimum of connections
        finally:
            connection.close()
    gc.collect()  # what the start left over, then the rest out of the collector's way
    gc.freeze()
    return {
        "templates": compiled,
        "languages": [code for code, _name in settings.LANGUAGES],
        "frozen_objects": gc.get_freeze_count(),
        "seconds": round(time.perf_counter() - started, 3),
    }
