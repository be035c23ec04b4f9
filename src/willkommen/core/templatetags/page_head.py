"""The links in a page's <head> that tell search engines where the page lives."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html, format_html_join

from willkommen.core.i18n import SOURCE_LANGUAGE

register = template.Library()


def _hreflang(code: str) -> str:
    """BCP 47 spelling: sr-latn → sr-Latn (the script subtag is title case)."""
    language, _, rest = code.partition("-")
    return f"{language}-{rest.title()}" if len(rest) == 4 else code


@register.simple_tag(takes_context=True)
def alternate_links(context) -> str:
    """``<link rel="canonical">`` and one ``rel="alternate" hreflang`` per language, absolute
    (PUBLIC_BASE_URL) and without the query string. Only on resolved pages: an error page
    has no language versions of its own."""
    request = context.get("request")
    if request is None or getattr(request, "resolver_match", None) is None:
        return ""
    base = settings.PUBLIC_BASE_URL
    versions = [(code, base + translate_url(request.path, code)) for code, _ in settings.LANGUAGES]
    default = dict(versions)[SOURCE_LANGUAGE]
    alternates = format_html_join(
        "\n",
        '<link rel="alternate" hreflang="{}" href="{}">',
        ((_hreflang(code), url) for code, url in versions),
    )
    return format_html(
        '<link rel="canonical" href="{}">\n{}\n'
        '<link rel="alternate" hreflang="x-default" href="{}">',
        base + request.path,
        alternates,
        default,
    )
