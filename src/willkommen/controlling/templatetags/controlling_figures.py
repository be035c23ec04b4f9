"""``{{ value|figure }}``: a key figure written as the report and the PDF write it."""

from django import template

from willkommen.controlling.publishing import text

register = template.Library()


@register.filter
def figure(value) -> str:
    return text(value)
