"""The waiting-room display: the page, its event stream and the polling fallback.

The stream is an async view for the ASGI server (uvicorn): each open display
holds one connection and costs no thread while it waits. See live.py for how a
call reaches it across processes.
"""

import asyncio
import json

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from willkommen.catalog.selectors import get_location
from willkommen.frontdesk import selectors
from willkommen.frontdesk.live import FEED_SIZE, hub

KEEPALIVE_SECONDS = 15
SHOWN_CALLS = 8
RETRY_MS = 2000  # how soon a browser reconnects after the server went away


# Shown in turn at the foot of the display, in every language the office offers.
HINTS = [
    gettext_lazy("Please keep your ticket at hand. Your number will be shown here."),
    gettext_lazy("When your number appears, please go to the room shown next to it."),
    gettext_lazy("Emergencies and appointments may be called before walk-in tickets."),
    gettext_lazy("Scan the QR code on your ticket to follow the queue on your phone."),
]


def hints() -> list[dict]:
    """Every hint in every offered language, each with its ``lang`` and ``dir``."""
    rows = []
    for hint in HINTS:
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                direction = "rtl" if translation.get_language_bidi() else "ltr"
                rows.append({"lang": code, "dir": direction, "text": str(hint)})
    return rows


def _location_or_404(slug):
    location = get_location(slug)
    if location is None:
        raise Http404
    return location


def display(request, slug):
    location = _location_or_404(slug)
    calls = selectors.recent_calls(location, SHOWN_CALLS)
    return render(
        request,
        "frontdesk/display.html",
        {
            "title": _("Calls at %(location)s") % {"location": location},
            "location": location,
            "calls": calls,
            "last_id": max((c.id for c in calls), default=0),
            "poll_ms": int(settings.FRONTDESK_DISPLAY_POLL_SECONDS * 1000),
            "shown": SHOWN_CALLS,
            "hints": hints(),
        },
    )


def _after(request) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or "0"
    try:
        return max(int(raw), 0)
    except ValueError:
        return 0


def calls(request, slug):
    """Polling fallback: the calls after ?after=ID as JSON."""
    location = _location_or_404(slug)
    rows = selectors.calls_after(location, _after(request))
    response = JsonResponse({"calls": [c.as_event() for c in rows]})
    response["Cache-Control"] = "no-store"
    return response


def _event(call) -> str:
    return f"id: {call.id}\nevent: call\ndata: {json.dumps(call.as_event())}\n\n"


async def events(request, slug):
    location = await sync_to_async(get_location)(slug)
    if location is None:
        raise Http404
    after = _after(request)
    if not isinstance(request, ASGIRequest):
        # Under a WSGI server a stream would hold a worker thread forever: answer
        # with what is new and let the browser reconnect (it then polls).
        rows = await sync_to_async(selectors.calls_after)(location, after)
        body = f"retry: {RETRY_MS}\n\n" + "".join(_event(c) for c in rows)
        return _sse_response([body])
    return _sse_response(_stream(location, after))


async def _stream(location, after: int):
    """One display's stream: what it missed, then whatever the location's feed reads."""
    feed = hub.feed(location)
    sent: set[int] = set()
    try:
        yield f"retry: {RETRY_MS}\n\n"
        # The display has everything up to ``after``; the lookback rows above it are new.
        sent.update(call_id for call_id in feed.calls if call_id <= after)
        for call in await sync_to_async(selectors.calls_after)(location, after):
            if call.id not in sent and call.id > after:
                yield _event(call)
            sent.add(call.id)
        while True:
            changed = feed.changed  # taken before reading, so no update slips between
            fresh = [call for call_id, call in feed.calls.items() if call_id not in sent]
            for call in fresh:
                sent.add(call.id)
                yield _event(call)
            if len(sent) > 2 * FEED_SIZE and feed.calls:  # forget what the feed forgot
                oldest = next(iter(feed.calls))
                sent = {call_id for call_id in sent if call_id >= oldest}
            if not fresh:
                try:
                    await asyncio.wait_for(changed.wait(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keepalive\n\n"
    finally:
        hub.release(feed)


def _sse_response(content) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
