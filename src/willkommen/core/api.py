"""Schemas and types every app's API router shares (the routers sit left of willkommen/api.py)."""

from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field

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


class RateLimitedOut(Schema):
    """The 429 answer; operations that rate-limit declare ``429: RateLimitedOut``."""

    detail: str
    retry_after: int
