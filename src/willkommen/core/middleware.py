from django.conf import settings

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
