"""willkommen's URLs plus probe answers that say how they may be cached."""

import uuid

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from willkommen.urls import urlpatterns as shipped


@csrf_exempt
def probe(request, kind):
    """A fresh body each time it runs, so a cached answer shows by its body."""
    response = HttpResponse(uuid.uuid4().hex, content_type="text/plain")
    if kind in ("public", "public-cookie"):
        response["Cache-Control"] = "public, max-age=1"
    if kind == "stale":
        response["Cache-Control"] = "public, max-age=1, stale-while-revalidate=30"
    if kind == "private":
        response["Cache-Control"] = "private, max-age=60"
    if kind == "public-cookie":
        response.set_cookie("probe", "1")
    return response


urlpatterns = [path("probe/<slug:kind>", probe), *shipped]
