from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from willkommen.catalog.models import Counter
from willkommen.payments.models import COUNTER_CHANNELS, Channel


class EuroField(forms.Field):
    """An amount typed as euros ("93", "93,00", "93.50"), cleaned to cents.

    A plain Field, not a CharField: a CharField's length validator would run on the
    cleaned cents (an int); the length is checked on the typed text instead.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": "12"})
    error = _("Enter an amount in euros, e.g. 93,00.")

    def to_python(self, value):
        value = (value or "").strip().replace("€", "").replace(" ", "").replace(",", ".")
        if not value:
            return None
        if len(value) > 12:
            raise forms.ValidationError(self.error)
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError(self.error) from None
        if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:
            raise forms.ValidationError(self.error)
        if amount > 100_000:
            raise forms.ValidationError(self.error)
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
    amount = EuroField(label=_("Amount in euros"))
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)

    def clean(self):
        data = super().clean()
        if not data.get("reference") and not data.get("ticket"):
            raise forms.ValidationError(_("Enter a case reference or a waiting number."))
        return data


class CashReportForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
