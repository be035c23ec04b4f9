"""Numbers and amounts as each language writes them: the one helper for pages and PDFs.

The separators come from Django's locale formats (German "1.234,50", English
"1,234.50", French "1 234,50" with a no-break space). Templates use the
``number`` and ``euro`` filters (core/templatetags/willkommen.py).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, translation

from willkommen.core.i18n import active_language

# Where the euro sign stands. English writes "€1,234.50"; the other offered
# languages write the sign after the amount with a space ("1.234,50 €").
EURO_BEFORE = {"en"}


def format_number(value: int | float | Decimal | None, decimals: int | None = None, language=None):
    """``value`` with ``language``'s decimal and thousands separators (groups from 10,000)."""
    if value is None or value == "":
        return ""
    language = active_language(language)
    with translation.override(language):
        grouping = abs(value) >= 10_000
        return formats.number_format(
            value, decimal_pos=decimals, use_l10n=True, force_grouping=grouping
        )


def format_euro(cents: int | None, language: str | None = None) -> str:
    """An amount in cents: "100,00 €", "€100.00" (no-break space before the sign)."""
    if cents is None:
        return ""
    language = active_language(language)
    amount = format_number(Decimal(cents) / 100, 2, language)
    return f"€{amount}" if language in EURO_BEFORE else f"{amount}\u00a0€"
