"""Schemas every app's API router shares (the routers sit left of willkommen/api.py)."""

from ninja import Schema


class RateLimitedOut(Schema):
    """The 429 answer; operations that rate-limit declare ``429: RateLimitedOut``."""

    detail: str
    retry_after: int
