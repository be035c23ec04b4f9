from django.conf import settings
from django.urls import reverse, translate_url

from willkommen.core.i18n import active_language

# URL names of the staff start page and the logout, registered by the app that
# owns staff accounts (accounts, in its AppConfig.ready()); core names no app.
_staff_urls: dict[str, str] = {}


def register_staff_urls(*, home: str, logout: str) -> None:
    _staff_urls.update(home=home, logout=logout)


def site(request):
    """Office name, the links of the language switch and the staff links for every page."""
    query = request.META.get("QUERY_STRING", "")
    current = active_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": f"{url}?{query}" if query else url,
                "current": code == current,
            }
        )
    return {
        "office_name": settings.OFFICE_NAME,
        "language_links": links,
        "staff_home_url": reverse(_staff_urls["home"]) if "home" in _staff_urls else "",
        "staff_logout_url": reverse(_staff_urls["logout"]) if "logout" in _staff_urls else "",
    }
