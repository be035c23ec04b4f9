"""What every app's API router shares (the routers sit left of willkommen/api.py).

The types of what the API accepts (``Text``, ``Input``), the answer schemas of
errors, the language of an answer, and the one mapping of a refused domain action
to an HTTP answer (``refused``).
"""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Schema, Status
from pydantic import ConfigDict, Field

from willkommen.core.i18n import SOURCE_LANGUAGE, language_from_accept, resolve_language

# core.middleware refuses NUL characters in every request before any endpoint (PostgreSQL
# cannot store them); the document says so on every string the API accepts, so that a
# client (or schemathesis) knows a NUL makes a request invalid, not "valid but rejected".
NO_NUL = "[^\\x00]"


def Text(max_length: int | None = None, *, min_length: int = 0):
    """A string the API accepts: none of its characters NUL, at most ``max_length`` of them."""
    limit = "" if max_length is None else str(max_length)
    return Annotated[
        str,
        Field(
            min_length=min_length,
            max_length=max_length,
            pattern=f"^{NO_NUL}{{{min_length},{limit}}}$",
        ),
    ]


class Input(Schema):
    """A request body: keys the document does not name are refused (422), so the
    document's "no other keys" is true and no undeclared key can carry a NUL."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    """Every refusal: a stable code where there is one, and a message for people."""

    code: str | None = Field(None, description="Stable error code, e.g. transition_not_allowed")
    detail: str


class ValidationErrorOut(Schema):
    """Django Ninja's answer (422) to input that does not match the schema."""

    detail: list[dict[str, Any]]


class RateLimitedOut(Schema):
    """The 429 answer; operations that rate-limit declare ``429: RateLimitedOut``."""

    detail: str
    retry_after: int


def request_language(request: HttpRequest, lang: str | None, response: HttpResponse) -> str:
    """The answer's language: ``?lang=`` wins over ``Accept-Language`` (by q-value, the
    first offered one); anything not offered falls back to German. It is activated for
    the rest of the request, so the error messages of the answer speak it too."""
    if lang:
        language, available = resolve_language(lang)
    else:
        header = request.headers.get("Accept-Language", "")
        found = language_from_accept(header)
        language, available = found or SOURCE_LANGUAGE, bool(found) or not header.strip()
    translation.activate(language)
    response["Content-Language"] = language
    if not available:
        # Never echo the request into a header (header injection); name only what we used.
        response["X-Language-Fallback"] = language
    return language


def refused(error: Exception, **extra) -> Status:
    """A refused action as an answer: the error's ``http_status`` (default 400), its
    stable ``code`` and its translated ``message``. Domain errors that carry these
    (``core.states.TransitionNotAllowed``, booking's and cases' errors) need no
    mapping of their own in each endpoint."""
    message = getattr(error, "message", None) or str(error)
    body = {"code": getattr(error, "code", None), "detail": str(message), **extra}
    return Status(getattr(error, "http_status", 400), body)


def not_found(detail: str) -> Status:
    return Status(404, {"code": "not_found", "detail": detail})
