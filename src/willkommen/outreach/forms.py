"""The public forms: the online extension (protected) and the receipt check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from willkommen.cases.forms import CONSENT, ChecklistUploadsMixin, PersonFields
from willkommen.core.protection import ProtectedFormMixin, Protection

# Its own count per address; mails per target e-mail are counted over all public forms.
EXTENSION_FORM = Protection(
    scope="extension-form-ip",
    per_address_setting="PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR",
    per_email_setting="PUBLIC_FORM_SUBMISSIONS_PER_EMAIL_PER_DAY",
)


class ExtensionForm(ProtectedFormMixin, ChecklistUploadsMixin, PersonFields):
    """Prefilled from the case; the applicant corrects, adds changes and documents."""

    protection = EXTENSION_FORM

    email = forms.EmailField(label=_("E-mail for the receipt and messages"))
    address_change = forms.CharField(
        label=_("New address (only if you have moved)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    employment_change = forms.CharField(
        label=_("Changes in your employment or income (only if any)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    consent = CONSENT

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_document_fields(service)

    def sections(self):
        return [
            (_("Your details"), ["given_name", "family_name", "date_of_birth", "nationality"]),
            (_("Contact and changes"), ["email", "address_change", "employment_change"]),
            (_("Documents"), [name for _item, name in self.document_fields]),
            (_("Consent"), ["consent"]),
        ]


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("As printed on the receipt, for example 7K2M-Q9TX-4BHN"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
