from django import template

from willkommen.core.i18n import tr

register = template.Library()


@register.filter(name="tr")
def tr_filter(value, language=None):
    """``{{ service.name|tr }}``: the text in the active language, else German."""
    return tr(value, language)


@register.filter(expects_localtime=True)
def date_text(value, style="long"):
    """``{{ day|date_text:"weekday" }}``: the date as the active language writes it
    (core/dates.py; styles weekday, long, short, short_weekday, datetime, short_datetime)."""
    from willkommen.core.dates import format_date

    return format_date(value, style)


@register.filter
def euro(cents):
    """Format an amount in cents as ``100,00 €`` / ``€100.00`` by locale."""
    from django.utils.formats import number_format

    if cents is None:
        return ""
    return f"{number_format(cents / 100, decimal_pos=2, use_l10n=True)} €"


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
