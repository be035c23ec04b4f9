from django import template
from django.utils.html import format_html
from django.utils.translation import get_language_info

from willkommen.core.i18n import supported_language, tr, tr_html

register = template.Library()


@register.filter(name="tr")
def tr_filter(value, language=None):
    """``{{ service.name|tr }}``: the text in the active language, else German."""
    return tr(value, language)


@register.filter(name="tr_marked")
def tr_marked_filter(value, language=None):
    """``{{ service.name|tr_marked }}`` on a page: like ``tr``, and a text the page's
    language lacks is the German one in ``<span lang="de">`` with "(in German)" after
    it. Mails and attributes use plain ``tr``."""
    return tr_html(value, language)


@register.filter
def ltr(value):
    """``{{ case.reference|ltr }}``: a number, time, reference or code kept in
    left-to-right order inside right-to-left text (``<bdi dir="ltr">``)."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def language_badge(code):
    """``{{ case.language|language_badge }}``: the applicant's language for staff,
    named in the staff's language, with the language's own name for the applicant."""
    language = supported_language(code)
    if language is None:
        return ""
    info = get_language_info(language)
    return format_html(
        '<span class="language-badge" title="{}"><span lang="{}">{}</span> · {}</span>',
        info["name_local"],
        language,
        language.split("-")[0].upper(),
        info["name_translated"],
    )


@register.filter(expects_localtime=True)
def date_text(value, style="long"):
    """``{{ day|date_text:"weekday" }}``: the date as the active language writes it
    (core/dates.py; styles weekday, long, short, short_weekday, datetime, short_datetime)."""
    from willkommen.core.dates import format_date

    return format_date(value, style)


@register.filter
def euro(cents):
    """An amount in cents as the active language writes it: ``100,00 €`` / ``€100.00``."""
    from willkommen.core.numbers import format_euro

    return format_euro(cents)


@register.filter
def number(value, decimals=None):
    """``{{ minutes|number }}``: a number with the active language's separators."""
    from willkommen.core.numbers import format_number

    return format_number(value, decimals)


WIDGET_CLASSES = {"select": "kern-form-input__select", "selectmultiple": "kern-form-input__select"}


@register.simple_tag
def kern_widget(field):
    """Render a form field's widget with KERN's class and the ARIA links to hint and error."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None) or widget.__class__.__name__.lower()
    css = WIDGET_CLASSES.get(input_type, "kern-form-input__input")
    if field.errors:
        css += f" {css}--error"
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def public_links():
    """What applicants can do besides finding a service (registered by the apps)."""
    from willkommen.core import publiclinks

    return publiclinks.links()


@register.simple_tag
def service_actions(service):
    """The actions the apps offer on a service's page (book it, apply online, …)."""
    from willkommen.core import publiclinks

    return publiclinks.actions_for(service)


@register.simple_tag
def footer_links():
    """The links every page's footer carries besides privacy (registered by the apps)."""
    from willkommen.core import publiclinks

    return publiclinks.footer_links()


@register.simple_tag(takes_context=True)
def page_sections(context, page, obj):
    """``{% page_sections "cases:detail" case %}``: what apps to the right add to this page."""
    from willkommen.core import pagesections

    return pagesections.render_sections(page, context.get("request"), obj)
