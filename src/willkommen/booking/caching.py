"""The public availability answers may be kept by a shared cache for a moment.

In a rush thousands of applicants ask for the same free times within a second. The
answers that are the same for every anonymous applicant (the day and time pages, the
API's availability) say so with ``Cache-Control: public, max-age=…``
(BOOKING_AVAILABILITY_MAX_AGE), and the reverse proxy in front (nginx, see deploy/)
answers the repeats from its cache. They are advice: every hold is decided by the
database, and a time taken meanwhile gets a 409 with fresh alternatives.
"""

from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import patch_cache_control


def mark_public(response) -> None:
    patch_cache_control(response, public=True, max_age=settings.BOOKING_AVAILABILITY_MAX_AGE)


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
