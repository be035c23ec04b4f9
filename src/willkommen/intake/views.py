"""The callback endpoint FIT-Connect posts to when submissions are waiting."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from willkommen.core import ratelimit
from willkommen.intake import callbacks, keys, selectors, services
from willkommen.intake.tasks import take_announced

logger = logging.getLogger(__name__)

# Far above what FIT-Connect sends, low enough that a flood costs little.
CALLBACKS_PER_MINUTE = 120


@csrf_exempt  # authenticated by the HMAC, not by a session
@require_POST
def callback(request, destination_id):
    try:
        ratelimit.enforce(
            "fitconnect-callback",
            ratelimit.client_ip(request),
            limit=CALLBACKS_PER_MINUTE,
            period=timedelta(minutes=1),
        )
    except ratelimit.RateLimited as limited:
        return JsonResponse(
            {"error": "rate limited"}, status=429, headers={"Retry-After": str(limited.retry_after)}
        )
    if settings.FITCONNECT_REQUIRE_HTTPS and not request.is_secure():
        return JsonResponse({"error": "HTTPS only"}, status=403)
    destination = selectors.active_destination(destination_id)
    if destination is None:
        return JsonResponse({"error": "unknown destination"}, status=404)
    try:
        secret = keys.for_destination(destination).callback_secret
        callbacks.verify(
            secret,
            request.headers.get("callback-timestamp", ""),
            request.body,
            request.headers.get("callback-authentication", ""),
        )
        announced = callbacks.announced(request.body, str(destination.destination_id))
    except keys.KeysMissing as error:
        logger.error("FIT-Connect callback for %s: %s", destination, error)
        return JsonResponse({"error": "destination not configured"}, status=503)
    except callbacks.CallbackRefused as refused:
        logger.warning("FIT-Connect callback refused: %s", refused.reason)
        return JsonResponse({"error": refused.reason}, status=refused.status)
    new = sum(services.announce(destination, sid, cid) for sid, cid in announced)
    if new:
        take_announced.enqueue(destination.pk)
    return HttpResponse(status=204)
