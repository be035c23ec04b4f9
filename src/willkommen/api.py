"""The JSON API: one NinjaAPI, one router per app, OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI, Schema

from willkommen.booking.api import router as booking_router
from willkommen.catalog.api import router as catalog_router
from willkommen.core.ratelimit import TOO_MANY_ATTEMPTS, RateLimited


class WillkommenAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Every operation can answer 400: core's middleware refuses NUL characters first."""
        schema = super().get_openapi_schema(*args, **kwargs)
        bad_request = {
            "description": "Bad request: the input contains characters that are not allowed.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"detail": {"type": "string"}},
                        "required": ["detail"],
                    }
                }
            },
        }
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                operation.setdefault("responses", {}).setdefault(400, bad_request)
        return schema


api = WillkommenAPI(
    title="willkommen API",
    version="1",
    description=(
        "Public JSON API of the immigration office. Texts are returned in the language "
        "asked for with `?lang=` or `Accept-Language` (de, en); unknown languages fall "
        "back to German and say so in the `Content-Language` header."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


class RateLimitedOut(Schema):
    """The 429 answer; operations that rate-limit declare ``429: RateLimitedOut``."""

    detail: str
    retry_after: int


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    response = api.create_response(
        request,
        {
            "detail": str(TOO_MANY_ATTEMPTS),
            "retry_after": exc.retry_after,
        },
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


api.add_router("/", catalog_router)

from willkommen.cases.api import router as cases_router  # noqa: E402 - needs RateLimitedOut above

api.add_router("/", cases_router)

api.add_router("/", booking_router)
