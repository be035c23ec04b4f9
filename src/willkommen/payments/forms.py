from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from willkommen.catalog.models import Counter
from willkommen.payments.models import COUNTER_CHANNELS, Channel


class EuroField(forms.CharField):
    """An amount typed as euros ("93", "93,00", "93.50"), cleaned to cents."""

    def to_python(self, value):
        value = super().to_python(value).replace("€", "").replace(" ", "").replace(",", ".")
        if not value:
            return None
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter an amount in euros, e.g. 93,00.")) from None
        if amount <= 0 or amount.as_tuple().exponent < -2 or amount > 100_000:
            raise forms.ValidationError(_("Enter an amount in euros, e.g. 93,00."))
        return int(amount * 100)


class CounterPaymentForm(forms.Form):
    counter = forms.ModelChoiceField(
        label=_("Counter"), queryset=Counter.objects.filter(is_active=True)
    )
    reference = forms.CharField(label=_("Case reference"), max_length=40, required=False)
    ticket = forms.CharField(
        label=_("or waiting number of today's visit"), max_length=10, required=False
    )
    channel = forms.ChoiceField(
        label=_("Paid by"), choices=[(c.value, c.label) for c in Channel if c in COUNTER_CHANNELS]
    )
    amount = EuroField(label=_("Amount in euros"), max_length=12)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)

    def clean(self):
        data = super().clean()
        if not data.get("reference") and not data.get("ticket"):
            raise forms.ValidationError(_("Enter a case reference or a waiting number."))
        return data


class CashReportForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
