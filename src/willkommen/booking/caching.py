"""The public availability answers may be kept by a shared cache for a moment.

In a rush thousands of applicants ask for the same free times within a second. The
answers that are the same for every anonymous applicant (the day and time pages, the
API's availability) say so with ``Cache-Control: public, max-age=…``
(BOOKING_AVAILABILITY_MAX_AGE), and the reverse proxy in front (nginx, see deploy/)
answers the repeats from its cache. Past that age a cache may go on answering with
the old answer for BOOKING_AVAILABILITY_STALE_SECONDS while one request fetches the
new one (``stale-while-revalidate``, RFC 5861): otherwise every request arriving
while the renewal is under way would go to the application too, and in a rush that
is most of them. They are advice: every hold is decided by the database, and a time
taken meanwhile gets a 409 with fresh alternatives.
"""

from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import patch_cache_control


def mark_public(response) -> None:
    max_age = settings.BOOKING_AVAILABILITY_MAX_AGE
    stale = settings.BOOKING_AVAILABILITY_STALE_SECONDS if max_age else 0
    if stale:
        patch_cache_control(response, public=True, max_age=max_age, stale_while_revalidate=stale)
    else:
        patch_cache_control(response, public=True, max_age=max_age)


def public_briefly(view):
    """For a public page: cacheable by anyone for a moment, unless the answer may be
    personal (a session: signed-in staff see their name and a CSRF token; a message
    waiting to be shown) or sets a cookie; then it is private and not kept."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        personal = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name} & set(request.COOKIES)
        if personal or response.cookies:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            mark_public(response)
        return response

    return wrapped
