"""The public complaint form (every string in all nine languages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from willkommen.complaints.categories import Category
from willkommen.core.protection import ProtectedFormMixin, Protection

# The acknowledgement mails the address given, so the shared e-mail limit applies.
COMPLAINT_FORM = Protection(
    scope="complaint-form-ip", per_address_setting="PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR",
    per_email_setting="PUBLIC_FORM_SUBMISSIONS_PER_EMAIL_PER_DAY",
)  # fmt: skip


class ComplaintForm(ProtectedFormMixin, forms.Form):
    """The public form: praise or a complaint, contact optional."""

    protection = COMPLAINT_FORM
    category = forms.ChoiceField(
        label=_("What is it about?"), choices=Category.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("What happened, when and where?"),
    )
    reference = forms.CharField(
        label=_("Reference of your case or appointment, if you have one"),
        max_length=40,
        required=False,
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Your e-mail"),
        required=False,
        help_text=_(
            "Only if you would like an answer. Without an e-mail address your message stays "
            "anonymous and we cannot reply."
        ),
    )
    phone = forms.CharField(label=_("Your telephone number"), max_length=40, required=False)
    consent = forms.BooleanField(
        label=_("I agree that the office processes these data to handle my message."),
        required=True,
    )
