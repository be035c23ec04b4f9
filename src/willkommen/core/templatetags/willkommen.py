from django import template

from willkommen.core.i18n import tr

register = template.Library()


@register.filter(name="tr")
def tr_filter(value, language=None):
    """``{{ service.name|tr }}``: the text in the active language, else German."""
    return tr(value, language)


@register.filter
def euro(cents):
    """Format an amount in cents as ``100,00 €`` / ``€100.00`` by locale."""
    from django.utils.formats import number_format

    if cents is None:
        return ""
    return f"{number_format(cents / 100, decimal_pos=2, use_l10n=True)} €"
