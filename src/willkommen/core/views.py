import re

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from willkommen.core import health
from willkommen.core.i18n import SOURCE_LANGUAGE, supported_languages


@never_cache
def healthz(request):
    """For monitoring: the database, the outbox's age and the worker (core/health.py).
    503 when any check fails; the body says which."""
    results = health.checks()
    ok = all(check.ok for check in results)
    return JsonResponse(
        {
            "status": "ok" if ok else "failing",
            "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in results},
        },
        status=200 if ok else 503,
    )


@never_cache
def healthz_live(request):
    """For the load balancer: this process answers and reaches the database."""
    reachable = health.database()
    return JsonResponse(
        {"status": "ok" if reachable.ok else "failing"}, status=200 if reachable.ok else 503
    )


# /fr/..., /pt-br/...: a language prefix we do not offer.
UNKNOWN_LANGUAGE_PREFIX = re.compile(
    r"^/(?P<code>[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})?)/(?P<rest>.*)$"
)


def unknown_language_redirect(request):
    """Send a page asked for in a language we do not offer to its German version, with a notice.

    Only called for paths nothing else matched, so real pages are never affected.
    """
    match = UNKNOWN_LANGUAGE_PREFIX.match(request.path)
    if not match or match["code"].lower() in supported_languages():
        return None
    translation.activate(SOURCE_LANGUAGE)
    messages.info(
        request,
        _(
            "This page is not available in the language “%(code)s”. "
            "You are seeing the German version; you can switch to English at the top."
        )
        % {"code": match["code"]},
    )
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(
        f"/{SOURCE_LANGUAGE}/{match['rest']}" + (f"?{query}" if query else "")
    )


def _error(request, template, status):
    return render(request, template, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return unknown_language_redirect(request) or _error(request, "404.html", 404)


@requires_csrf_token
def server_error(request):
    # Rendered without a request context on purpose: whatever broke may be in it.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({"request": None}))
