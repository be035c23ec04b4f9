"""The JSON API: one NinjaAPI, one router per app, OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

from willkommen.booking.api import router as booking_router
from willkommen.cases.api import router as cases_router
from willkommen.catalog.api import router as catalog_router
from willkommen.core.api import refused
from willkommen.core.ratelimit import TOO_MANY_ATTEMPTS, RateLimited
from willkommen.core.states import TransitionNotAllowed


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
        "asked for with `?lang=` or `Accept-Language` (de, en, fr, ru, uk, ar, tr, sq, "
        "sr-latn); unknown languages fall back to German and say so in the "
        "`Content-Language` header."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


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


@api.exception_handler(TransitionNotAllowed)
def transition_not_allowed(request, exc: TransitionNotAllowed):
    """Any state machine's refused edge: 409 with its code and message, in every endpoint."""
    answer = refused(exc)
    return api.create_response(request, answer.value, status=answer.status_code)


api.add_router("/", catalog_router)
api.add_router("/", booking_router)
api.add_router("/", cases_router)
