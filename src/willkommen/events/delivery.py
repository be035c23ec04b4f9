"""Sending the queued events to the subscribers (the protocol of core/outbox.py, for HTTP).

1. ``publishing.publish`` stores one ``Delivery`` per subscriber in the transaction
   of the change; the sweep ``manage.py deliver_events`` (in ``manage.py worker``)
   sends what is due.
2. A delivery is *claimed* with one conditional UPDATE (pending → sending, with a
   lease): one worker wins, and no database lock is held during the HTTP request.
3. A 2xx answer marks it delivered. Anything else (a refused connection, a time-out,
   a 4xx or 5xx) puts it back to pending with exponential backoff (capped), and it is
   tried again until delivered. A subscriber that is switched off keeps its queue.
4. A worker that dies between the receiver's answer and the UPDATE leaves a lease
   that runs out; the event is sent again, the same bytes with the same id. That is
   the one way an event arrives twice (at-least-once); receivers deduplicate by id.

Each request carries ``Willkommen-Signature: sha256=<hex>``, the HMAC-SHA256 of the
exact body with the subscriber's secret, and ``Willkommen-Delivery`` (the attempt's
row id, for the receiver's logs).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta

import httpx
from django.conf import settings

from willkommen.core import clock

# The outbox's policy: 1, 2, 4 … minutes after each failure, at most an hour.
from willkommen.core.outbox import backoff
from willkommen.events.models import Delivery
from willkommen.events.publishing import CONTENT_TYPE

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Willkommen-Signature"


def signature(secret: str, body: bytes) -> str:
    """The value of the signature header for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def claim(delivery_id: int) -> bool:
    now = clock.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id, subscriber__active=True)
        .due(now)
        .update(
            status=Delivery.Status.SENDING,
            lease_until=now + timedelta(seconds=settings.EVENTS_LEASE_SECONDS),
        )
    )
    return claimed == 1


def _failed(delivery: Delivery, error: str) -> None:
    attempts = delivery.attempts + 1
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING,
        attempts=attempts,
        next_attempt_at=clock.now() + backoff(attempts),
        lease_until=None,
        last_error=error[:2000],
    )
    logger.warning(
        "webhook delivery %s not delivered (attempt %s): %s", delivery.pk, attempts, error
    )


def deliver(delivery_id: int, client: httpx.Client) -> bool:
    """Send one delivery if due. True if the receiver took it."""
    if not claim(delivery_id):
        return False
    delivery = Delivery.objects.select_related("subscriber").get(pk=delivery_id)
    body = delivery.body.encode()
    headers = {
        "Content-Type": CONTENT_TYPE,
        SIGNATURE_HEADER: signature(delivery.subscriber.secret, body),
        "Willkommen-Delivery": str(delivery.pk),
    }
    try:
        answer = client.post(delivery.subscriber.url, content=body, headers=headers)
    except httpx.HTTPError as exc:  # refused, reset, timed out, bad URL: try again later
        _failed(delivery, f"{type(exc).__name__}: {exc}")
        return False
    if not answer.is_success:
        _failed(delivery, f"HTTP {answer.status_code}: {answer.text[:500]}")
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DELIVERED,
        attempts=delivery.attempts + 1,
        delivered_at=clock.now(),
        lease_until=None,
        last_error="",
    )
    return True


def deliver_due(limit: int = 200) -> int:
    """Send every due delivery of an active subscriber, oldest first. How many arrived."""
    ids = list(
        Delivery.objects.due(clock.now())
        .filter(subscriber__active=True)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    delivered = 0
    # Redirects are not followed: the signed body goes to the URL the admin entered.
    with httpx.Client(timeout=settings.EVENTS_TIMEOUT_SECONDS, follow_redirects=False) as client:
        for delivery_id in ids:
            delivered += deliver(delivery_id, client)
    return delivered


def purge_delivered(days: int) -> int:
    """Delete deliveries that arrived more than ``days`` ago (their bodies may hold
    personal data, and the receiver has them)."""
    cutoff = clock.now() - timedelta(days=days)
    deleted, _ = Delivery.objects.filter(
        status=Delivery.Status.DELIVERED, delivered_at__lt=cutoff
    ).delete()
    return deleted
