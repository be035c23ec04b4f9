from django import forms
from django.utils.translation import gettext_lazy as _

from willkommen.complaints import deadlines, states
from willkommen.complaints.email_import import read_eml
from willkommen.complaints.models import Action, AnswerTemplate, Category, Status
from willkommen.complaints.services import Links, find_links
from willkommen.core.i18n import language_choices
from willkommen.core.uploads import UploadRefused


def _team_field():
    from willkommen.accounts.models import Team

    return forms.ModelChoiceField(
        label=_("Team concerned"),
        queryset=Team.objects.filter(is_active=True),
        required=False,
        help_text=_("Empty: taken from the case, appointment or visit, if one is given."),
    )


class StaffComplaintForm(forms.Form):
    """Staff take down a complaint of a caller or visitor."""

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    message = forms.CharField(
        label=_("What the person said"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    language = forms.ChoiceField(
        label=_("Language for letters"), choices=language_choices, initial="de"
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("Without an e-mail no reply is sent.")
    )
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    reference = forms.CharField(label=_("Case or booking reference"), max_length=40, required=False)
    ticket = forms.CharField(
        label=_("Waiting number of the visit"), max_length=10, required=False,
        help_text=_("E.g. A12; with the day of the visit."),
    )  # fmt: skip
    visit_day = forms.DateField(
        label=_("Day of the visit"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_field()

    def clean(self):
        data = super().clean()
        links = find_links(data.get("reference", ""))
        if data.get("reference") and links == Links():
            self.add_error("reference", _("No case or appointment has this reference."))
        if data.get("ticket"):
            visit = self._visit(data["ticket"], data.get("visit_day"))
            if visit is not None:
                links = Links(case=links.case, appointment=links.appointment, visit=visit)
        data["links"] = links
        return data

    def _visit(self, ticket, day):
        from willkommen.frontdesk.models import Visit

        if day is None:
            self.add_error("visit_day", _("Give the day of the visit."))
            return None
        prefix = "".join(ch for ch in ticket.upper() if ch.isalpha())
        number = "".join(ch for ch in ticket if ch.isdigit())
        visits = list(
            Visit.objects.select_related("team").filter(
                service_day=day, ticket_prefix=prefix, ticket_number=int(number or 0)
            )[:2]
        )
        if len(visits) != 1:
            self.add_error(
                "ticket",
                _("No visit with this number on that day.")
                if not visits
                else _("Several locations gave this number that day; give a reference instead."),
            )
            return None
        return visits[0]


class EmailImportForm(forms.Form):
    file = forms.FileField(label=_("E-mail file (.eml)"))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    language = forms.ChoiceField(
        label=_("Language for letters"),
        choices=[("", _("as the e-mail says, else German")), *language_choices()],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_field()

    def clean_file(self):
        try:
            return read_eml(self.cleaned_data["file"])
        except UploadRefused as refused:
            raise forms.ValidationError(refused.message, code="refused") from None


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("open")), ("all", _("all")), *Status.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("all")), *Category.choices]
    )
    flag = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("all")),
            (deadlines.INTERIM_DUE, _("interim reply due")),
            (deadlines.OVERDUE, _("overdue")),
        ],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_field()
        self.fields["team"].help_text = ""


class MoveForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, Action(a).label) for a in states.BUTTON_ACTIONS])
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class ReplyForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=AnswerTemplate.objects.filter(is_active=True), widget=forms.HiddenInput
    )
    subject = forms.CharField(label=_("Subject"), max_length=250)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), max_length=20000
    )
