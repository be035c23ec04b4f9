from django.conf import settings
from django.urls import translate_url


def site(request):
    """Office name and the links of the language switch for every page."""
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        links.append({"code": code, "name": name, "url": f"{url}?{query}" if query else url})
    return {"office_name": settings.OFFICE_NAME, "language_links": links}
