"""Warm a fresh server process before it takes requests.

Django does much of its work lazily, on the first request that needs it: it imports
the URL configuration (and with it every view), builds the URL resolver's reverse
table once per language, compiles each template, and opens database connections.
In a process that has just started that made the first bookings several times slower
than the rest (about 80 ms of CPU for the first hold instead of 6), and after a
restart during opening hours, or right before bookable days are released, those
first requests are the ones the applicants wait for. ``warm_up`` does that work
once, at startup (``core.serving.Application`` runs it on the ASGI lifespan startup,
before uvicorn accepts connections). Some of it is easy to miss: each URL namespace
gets a reverse table of its own per language (~0.5 ms for the first mailed link of a
process), and the related managers' classes are made on first use (~3.5 ms for all
of them). An app with work of its own to do before serving gives its AppConfig a
``warm_up()`` (booking starts listening to the other processes).

Last, it freezes what the start made for the garbage collector (``gc.freeze``): the
modules, URL patterns and templates live as long as the process, about 200,000
objects. Otherwise the cyclic collector's first full collection walked all of them,
and it came during the process's first busy seconds: in the booking rush each worker
stopped for 270–400 ms once (every request of that process waiting), which alone was
the benchmark's p99. Frozen objects are never walked again; what requests make is
collected as before.
"""

from __future__ import annotations

import contextlib
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
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
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


def one_name_per_namespace(patterns, namespace: str = "") -> dict[str, str]:
    """{namespace: one of its URL names, namespaced} for every namespace of ``patterns``."""
    found: dict[str, str] = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            found.update(one_name_per_namespace(pattern.url_patterns, inner))
        elif namespace and pattern.name and namespace not in found:
            found[namespace] = f"{namespace}:{pattern.name}"
    return found


def build_namespace_tables(names: dict[str, str]) -> None:
    """Build each namespace's reverse table in the current language.

    ``reverse("booking:confirm", …)`` looks the name up in a resolver of the namespace
    that Django makes and fills on first use, per language (the root's table does not
    serve it): ~0.5 ms for the first link a process mails. A reverse without its
    arguments fills the table and then fails, which is all this needs.
    """
    for name in names.values():
        with contextlib.suppress(NoReverseMatch):
            reverse(name)


def build_related_managers() -> int:
    """Make the related managers' classes (``service.checklist``, read with every
    remembered service): Django makes each on its first use (~3.5 ms for all)."""
    made = 0
    for model in apps.get_models():
        for klass in model.__mro__:
            for attribute in list(vars(klass).values()):
                if hasattr(type(attribute), "related_manager_cls"):
                    attribute.related_manager_cls  # noqa: B018 (a cached property)
                    made += 1
    return made


def warm_up_apps() -> list[str]:
    """Call each app's own ``warm_up()`` (on its AppConfig, if it has one); the labels
    of those that ran. One that fails is logged and the others, and the rest of the
    warm-up, still run: warming is an optimisation, the process serves either way."""
    warmed = []
    for config in apps.get_app_configs():
        hook = getattr(config, "warm_up", None)
        if not callable(hook):
            continue
        try:
            hook()
        except Exception:
            logger.warning("warm-up of app %s failed", config.label, exc_info=True)
            continue
        warmed.append(config.label)
    return warmed


def warm_up() -> dict:
    """Do the lazy work of a first request now; returns what was done, for the log."""
    started = time.perf_counter()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URL configuration and every view)
    namespaces = one_name_per_namespace(resolver.url_patterns)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 (built once per language)
            build_namespace_tables(namespaces)
    managers = build_related_managers()
    compiled = 0
    for name in app_templates():
        try:
            get_template(name)
            compiled += 1
        except (TemplateDoesNotExist, TemplateSyntaxError):
            # A fragment that is not a template on its own; the page that uses it says so.
            logger.debug("template %s not compiled on its own", name)
    validate_email("warm-up@example.org")  # compiles the validator's patterns
    warmed_apps = warm_up_apps()
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
        "namespaces": len(namespaces),
        "related_managers": managers,
        "apps": warmed_apps,
        "frozen_objects": gc.get_freeze_count(),
        "seconds": round(time.perf_counter() - started, 3),
    }
