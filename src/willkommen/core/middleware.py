from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from willkommen.core.ratelimit import RateLimited

# Everything is served from our own origin: vendored CSS, fonts and scripts.
# No inline scripts, so no 'unsafe-inline' for scripts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    """Adds the headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()"
        )
        if not settings.DEBUG:
            response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


# Bodies we read as text; uploads (multipart) may carry NUL bytes legitimately.
TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded", "text/")


class RejectNullCharactersMiddleware:
    """Refuse NUL characters in the path, query string or a text body with a 400.

    PostgreSQL cannot store NUL in text columns; without this, such input would
    reach a query and end in a server error instead of a clear answer. Django's
    form fields already refuse NUL; API schemas and URL parameters do not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from willkommen.core.views import bad_request

            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Input must not contain NUL characters."}, status=400
                )
            return bad_request(request)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(
            request.META.get("QUERY_STRING", "")
        ):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method not in {"POST", "PUT", "PATCH"} or not content_type.startswith(
            TEXT_BODIES
        ):
            return False
        body = request.body
        if content_type.startswith("application/x-www-form-urlencoded"):
            body = unquote_to_bytes(body.replace(b"+", b" "))
        # JSON spells NUL as the escape \u0000.
        return b"\x00" in body or b"\\u0000" in body


class RateLimitedMiddleware:
    """Turn ``RateLimited`` raised by a page view into a 429 page in the page's language.

    The JSON API answers its own 429 (see willkommen/api.py); this covers pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        minutes = max(1, -(-exception.retry_after // 60))
        response = render(request, "429.html", {"minutes": minutes}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
