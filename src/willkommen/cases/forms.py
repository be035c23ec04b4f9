from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from willkommen.accounts.models import Team, User
from willkommen.cases.models import Difficulty, Urgency
from willkommen.core import clock
from willkommen.core.i18n import tr
from willkommen.core.protection import ProtectedFormMixin, Protection
from willkommen.core.uploads.fields import CheckedFileField, KeepsAcceptedFiles

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseFilterForm(forms.Form):
    CLERK_CHOICES = [("", _("everyone")), ("me", _("me")), ("none", _("nobody (inbox)"))]

    q = forms.CharField(label=_("Reference or name"), required=False, max_length=100)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    clerk = forms.ChoiceField(label=_("Assigned to"), choices=CLERK_CHOICES, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("past the service norm"), required=False)
    expiring = forms.BooleanField(label=_("permit expires within 6 weeks"), required=False)
    waiting = forms.BooleanField(label=_("waiting for another authority"), required=False)
    closed = forms.BooleanField(label=_("closed cases instead of open ones"), required=False)
    order = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("", _("urgency")), ("expiry", _("permit expiry"))],
        required=False,
    )

    def __init__(self, *args, teams, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("all my teams"))] + [(t.pk, t.name) for t in teams]
        self.fields["status"].choices = [("", _("any")), *statuses]


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    expected_status = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {str(s.pk): s for s in targets}
        self.fields["status"].choices = [(str(s.pk), s.internal_name) for s in targets]

    def target(self):
        return self.targets[self.cleaned_data["status"]]


class ClassificationForm(forms.Form):
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    difficulty = forms.ChoiceField(label=_("Difficulty"), choices=Difficulty.choices)
    # Each language named in itself (settings.LANGUAGES), as the applicant would name it.
    language = forms.ChoiceField(
        label=_("Language for messages"), choices=lambda: settings.LANGUAGES
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=500)


class AssignForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    clerk = forms.ModelChoiceField(
        label=_("Clerk"), queryset=User.objects.none(), required=False, empty_label=_("team inbox")
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["clerk"].queryset = (
            User.objects.filter(is_active=True, teams__in=teams).distinct().order_by("last_name")
        )
        self.fields["clerk"].label_from_instance = lambda u: u.get_full_name() or u.username


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AgencyRequestForm(forms.Form):
    agency = forms.CharField(label=_("Authority"), max_length=200)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE_INPUT)
    due_on = forms.DateField(label=_("Answer due on"), widget=DATE_INPUT, required=False)


class AgencyAnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE_INPUT)
    answer = forms.CharField(label=_("Answer"), max_length=5000, required=False)


class InterimCertificateForm(forms.Form):
    number = forms.CharField(label=_("Document number"), max_length=40)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE_INPUT)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE_INPUT)


class DocumentUploadForm(forms.Form):
    requirement = forms.TypedChoiceField(
        label=pgettext_lazy("case file", "Document"), coerce=int, empty_value=None, required=False
    )
    file = CheckedFileField(label=_("File"))

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [("", _("other document"))] + [
            (r.pk, tr(r.title)) for r in requirements
        ]


class StatusLookupForm(forms.Form):
    reference = forms.CharField(
        label=pgettext_lazy("case file", "Reference"),
        max_length=30,
        help_text=_("For example ABH-2026-000123"),
    )
    code = forms.CharField(
        label=_("Access code"),
        max_length=40,
        help_text=_("From your confirmation or receipt, for example 7K2M-Q9TX-4BHN-W3RD"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ChecklistUploadsMixin(KeepsAcceptedFiles):
    """One file field per checklist item of the service; required items must be given.

    Each file is checked by its field; files that passed are held when anything
    else in the form is refused (``keep_accepted_files``).
    """

    def add_document_fields(self, service):
        self.document_fields = []
        for item in service.checklist.all():
            name = f"document_{item.pk}"
            self.fields[name] = CheckedFileField(
                label=tr(item.title), required=item.required and item.condition_id is None
            )
            self.document_fields.append((item.pk, name))

    def uploaded_documents(self):
        return [
            (item_id, self.cleaned_data[name])
            for item_id, name in self.document_fields
            if self.cleaned_data.get(name)
        ]


class PersonFields(forms.Form):
    given_name = forms.CharField(label=_("Given names"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE_INPUT)
    nationality = forms.CharField(label=_("Nationality"), max_length=60)

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value > clock.office_today():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value

    def person(self, prefix=""):
        data = self.cleaned_data
        return {
            "given_name": data[f"{prefix}given_name"],
            "family_name": data[f"{prefix}family_name"],
            "date_of_birth": data[f"{prefix}date_of_birth"],
            "nationality": data[f"{prefix}nationality"],
        }


NOTIFY = forms.BooleanField(
    label=_("Send an e-mail whenever the state of the application changes."),
    required=False,
    initial=True,
)
CONSENT = forms.BooleanField(
    label=_("I agree that the office processes these data and documents for this application."),
    required=True,
)


JOB_FIELDS = [
    "title", "qualification", "workplace", "start_on", "gross_salary_euros", "hours_per_week",
]  # fmt: skip


# The public forms' protection (core/protection.py): each form counts its own
# submissions per address; mails per target e-mail are counted over all forms.
CASE_FORM = Protection(
    scope="case-form-ip", per_address_setting="PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR",
    per_email_setting="PUBLIC_FORM_SUBMISSIONS_PER_EMAIL_PER_DAY",
)  # fmt: skip
CONTACT_FORM = Protection(
    scope="contact-form-ip", per_address_setting="PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR",
    per_email_setting="PUBLIC_FORM_SUBMISSIONS_PER_EMAIL_PER_DAY",
)  # fmt: skip


class SkilledWorkerForm(ProtectedFormMixin, ChecklistUploadsMixin, PersonFields):
    """§ 81a AufenthG: the employer applies for the accelerated procedure for a worker abroad."""

    protection = CASE_FORM

    organisation = forms.CharField(label=_("Employer (company name)"), max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    email = forms.EmailField(label=_("E-mail of the contact person"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Address of the employer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )
    title = forms.CharField(label=_("Job title"), max_length=200)
    qualification = forms.CharField(label=_("Qualification of the worker"), max_length=200)
    workplace = forms.CharField(label=_("Place of work"), max_length=200)
    start_on = forms.DateField(label=_("Planned start"), widget=DATE_INPUT, required=False)
    gross_salary_euros = forms.IntegerField(
        label=_("Gross annual salary in euros"), min_value=1, max_value=10_000_000
    )
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60)
    notify = NOTIFY
    consent = CONSENT

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_name"].label = _("Given names of the worker")
        self.fields["family_name"].label = _("Family name of the worker")
        self.fields["date_of_birth"].label = _("Date of birth of the worker")
        self.fields["nationality"].label = _("Nationality of the worker")
        self.add_document_fields(service)
        self.order_fields(["organisation", "contact_name", "email", "phone", "address"])

    def sections(self):
        return [
            (_("Employer"), ["organisation", "contact_name", "email", "phone", "address"]),
            (_("Skilled worker"), ["given_name", "family_name", "date_of_birth", "nationality"]),
            (_("Job"), JOB_FIELDS),
            (_("Documents"), [name for _item, name in self.document_fields]),
            (_("Messages and consent"), ["notify", "consent"]),
        ]

    def case_data(self) -> dict:
        """What ``services.open_case`` needs, from the cleaned form."""
        data = self.cleaned_data
        employer = ["organisation", "contact_name", "email", "phone", "address"]
        return {
            "applicant": self.person(),
            "representative": {"kind": "employer", **{k: data[k] for k in employer}},
            "job": {key: data[key] for key in JOB_FIELDS},
            "contact_email": data["email"],
            "notify_by_email": data["notify"],
        }

    def clean_start_on(self):
        value = self.cleaned_data.get("start_on")
        if value and value < clock.office_today():
            raise forms.ValidationError(_("The planned start cannot be in the past."))
        return value


class NaturalisationForm(ProtectedFormMixin, ChecklistUploadsMixin, PersonFields):
    protection = CASE_FORM
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    notify = NOTIFY
    consent = CONSENT

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_document_fields(service)

    def sections(self):
        person = ["given_name", "family_name", "date_of_birth", "nationality", "email", "phone"]
        return [
            (_("Applicant"), person),
            (_("Documents"), [name for _item, name in self.document_fields]),
            (_("Messages and consent"), ["notify", "consent"]),
        ]

    def case_data(self) -> dict:
        data = self.cleaned_data
        return {
            "applicant": {**self.person(), "email": data["email"], "phone": data["phone"]},
            "contact_email": data["email"],
            "notify_by_email": data["notify"],
        }


class IntakeForm(PersonFields):
    """A case opened by staff (counter, post, e-mail), with urgency and difficulty set at intake."""

    case_type = forms.ModelChoiceField(label=_("Service"), queryset=None)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    permit_expires_on = forms.DateField(
        label=_("Current permit expires on"), widget=DATE_INPUT, required=False
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    difficulty = forms.ChoiceField(
        label=_("Difficulty"), choices=Difficulty.choices, initial=Difficulty.NORMAL
    )
    notify = NOTIFY

    def __init__(self, *args, **kwargs):
        from willkommen.cases.models import CaseType

        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = CaseType.objects.filter(
            is_active=True, service__is_active=True
        ).select_related("service")
        self.fields["case_type"].label_from_instance = lambda t: tr(t.service.name)
        self.order_fields(["case_type"])

    def case_data(self) -> dict:
        data = self.cleaned_data
        return {
            "service": data["case_type"].service,
            "applicant": {**self.person(), "email": data["email"], "phone": data["phone"]},
            "contact_email": data["email"],
            "permit_expires_on": data["permit_expires_on"],
            "urgency": data["urgency"],
            "difficulty": data["difficulty"],
            "notify_by_email": data["notify"],
        }


class FamilyMemberForm(PersonFields):
    relation = forms.CharField(
        label=_("Relation to the applicant"),
        max_length=40,
        help_text=_("For example spouse, child"),
    )


class ContactForm(ProtectedFormMixin, forms.Form):
    protection = CONTACT_FORM
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your e-mail"))
    case_reference = forms.CharField(
        label=_("Reference of your case, if you have one"), max_length=20, required=False
    )
    message = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    consent = forms.BooleanField(
        label=_("I agree that the office processes these data to answer my message."),
        required=True,
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
        self.fields["topic"].label_from_instance = lambda t: tr(t.name)
