"""The JSON API: one NinjaAPI, one router per app, OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

from willkommen.catalog.api import router as catalog_router

api = NinjaAPI(
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
api.add_router("/", catalog_router)
