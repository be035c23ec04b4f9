from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from willkommen.core.i18n import language_from_accept, supported_language
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


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware with the language choice of willkommen.

    A URL's language prefix decides. Without one (the root, a shared link without
    a prefix, the API), the visitor's earlier choice (the language cookie) wins,
    then the first offered language of ``Accept-Language`` by q-value
    (``core.i18n.language_from_accept``: regional variants, Serbian in any script),
    then German. The language of every page read is remembered in the cookie, so
    a visitor who switched comes back to their language.
    """

    def process_request(self, request):
        super().process_request(request)
        if translation.get_language_from_path(request.path_info) or self.chosen(request):
            return
        header = request.headers.get("Accept-Language")
        language = language_from_accept(header) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language

    @staticmethod
    def chosen(request) -> str | None:
        return supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))

    def process_response(self, request, response):
        response = super().process_response(request, response)
        language = translation.get_language_from_path(request.path_info)
        # A page a shared cache may keep for everyone (Cache-Control: public) must not
        # carry one visitor's cookie; nginx would not cache it either.
        if (
            language
            and request.method == "GET"
            and response.status_code == 200
            and "public" not in response.get("Cache-Control", "")
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
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
