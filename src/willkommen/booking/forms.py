from django import forms
from django.core.validators import RegexValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from willkommen.booking import protection
from willkommen.booking.models import EmergencyReason
from willkommen.catalog.models import Location, Service
from willkommen.core.i18n import tr
from willkommen.core.protection import ProtectedFormMixin
from willkommen.core.uploads.fields import CheckedFileField, KeepsAcceptedFiles, help_text

PHONE = RegexValidator(
    r"^[0-9+()/ .-]{5,40}$", _("Please enter a phone number (digits, + and spaces).")
)


class TranslatedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return tr(obj.name)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class StartForm(forms.Form):
    service = TranslatedChoiceField(
        label=_("Service"),
        queryset=Service.objects.public().filter(online_bookable=True),
        empty_label=_("Please choose"),
    )
    location = TranslatedChoiceField(
        label=_("Location"), queryset=Location.objects.active(), empty_label=None
    )
    persons = forms.IntegerField(
        label=_("Number of persons"),
        min_value=1,
        max_value=20,
        initial=1,
        help_text=_("A family books one appointment for everyone who needs to come."),
    )

    def clean(self):
        data = super().clean()
        service, persons = data.get("service"), data.get("persons")
        if service and persons and persons > service.max_persons:
            self.add_error(
                "persons",
                _("This service can be booked for at most %(max)s persons.")
                % {"max": service.max_persons},
            )
        return data


class ApplicantForm(forms.Form):
    name = forms.CharField(label=_("First and last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send the link to confirm the appointment to this address."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, validators=[PHONE])
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    nationality = forms.CharField(label=_("Nationality"), max_length=80, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the immigration office processes these data to arrange my "
            "appointment. They are deleted after the appointment."
        ),
    )

    def __init__(self, *args, rule=None, email_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if rule is None or not rule.asks_birth_date:
            del self.fields["birth_date"]
        else:
            self.fields["birth_date"].required = True
        if rule is None or not rule.asks_nationality:
            del self.fields["nationality"]
        else:
            self.fields["nationality"].required = True
        if not email_required:
            self.fields["email"].required = False
            self.fields["email"].help_text = ""

    def applicant(self):
        from willkommen.booking.services import Applicant

        data = self.cleaned_data
        return Applicant(
            name=data["name"],
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            birth_date=data.get("birth_date"),
            nationality=data.get("nationality") or "",
        )


class StaffApplicantForm(ApplicantForm):
    """Booking on behalf of an applicant on the phone: e-mail optional, no consent box."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, email_required=False, **kwargs)
        del self.fields["consent"]


class EmergencyForm(ProtectedFormMixin, KeepsAcceptedFiles, forms.Form):
    protection = protection.EMERGENCY

    reason = forms.ChoiceField(
        label=_("Why do you need an appointment quickly?"),
        choices=EmergencyReason.choices,
        widget=forms.RadioSelect,
    )
    permit_expires_on = forms.DateField(
        label=_("Your current residence permit is valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Needed if your permit expires soon or has expired."),
    )
    service = TranslatedChoiceField(
        label=_("Service"),
        queryset=Service.objects.public().filter(emergency_eligible=True),
        empty_label=_("Please choose"),
    )
    location = TranslatedChoiceField(
        label=_("Location"), queryset=Location.objects.active(), empty_label=None
    )
    persons = forms.IntegerField(label=_("Number of persons"), min_value=1, max_value=20, initial=1)
    name = forms.CharField(label=_("First and last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, validators=[PHONE])
    message = forms.CharField(
        label=_("Anything else we should know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Checked like every case document (core/uploads); kept when another field fails.
    attachment = CheckedFileField(
        label=_("Document"),
        required=False,
        help_text=format_lazy(
            "{} {}", _("For example your current permit or the employment contract."), help_text()
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree that the immigration office processes these data to handle my request.")
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the applicant"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanForm(forms.Form):
    clerk = forms.ModelChoiceField(label=_("Clerk"), queryset=None, required=False)
    staff_note = forms.CharField(
        label=_("Note for staff"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        from willkommen.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["clerk"].queryset = User.objects.filter(is_active=True).order_by("last_name")


class PreparationTaskForm(forms.Form):
    title = forms.CharField(label=_("New preparation task"), max_length=200)


class DayPlanForm(forms.Form):
    location = TranslatedChoiceField(
        label=_("Location"), queryset=Location.objects.active(), empty_label=None
    )
    day = forms.DateField(label=_("Day"), widget=DateInput(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        from willkommen.accounts.models import Team

        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(is_active=True)


class WindowRegistrationForm(forms.Form):
    name = forms.CharField(label=_("First and last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, validators=[PHONE])
    permit_expires_on = forms.DateField(
        label=_("Your current residence permit is valid until"),
        required=False,
        widget=DateInput(),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the immigration office processes these data to give out the "
            "appointments of this window."
        )
    )
