from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from willkommen.accounts.models import Team
from willkommen.catalog.models import Counter, Location, Service
from willkommen.core.i18n import SOURCE_LANGUAGE, language_choices, tr
from willkommen.frontdesk.models import Priority


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return tr(obj.name)


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return tr(obj.name)


def persons_field():
    return forms.IntegerField(label=_("Persons present"), min_value=1, max_value=20, initial=1)


class LocationForm(forms.Form):
    location = LocationChoiceField(
        label=_("Location"), queryset=Location.objects.active(), empty_label=None
    )


class WalkInForm(forms.Form):
    service = ServiceChoiceField(
        label=_("Service"), queryset=Service.objects.public(), empty_label=_("– please choose –")
    )
    persons_present = persons_field()
    emergency = forms.BooleanField(label=_("Emergency: call before everybody else"), required=False)
    emergency_reason = forms.CharField(
        label=_("Reason for the emergency"),
        max_length=300,
        required=False,
        help_text=_("Required for an emergency, e.g. “permit expires today, flight tomorrow”."),
    )
    language = forms.ChoiceField(
        label=_("Language of the applicant"),
        choices=language_choices,
        initial=SOURCE_LANGUAGE,
        required=False,  # German when not asked
        help_text=_("The ticket is printed in it; clerks see it beside the ticket."),
    )

    def clean(self):
        data = super().clean()
        if data.get("emergency") and not data.get("emergency_reason", "").strip():
            self.add_error("emergency_reason", _("Give the reason for the emergency."))
        if not data.get("emergency"):
            data["emergency_reason"] = ""
        data["language"] = data.get("language") or SOURCE_LANGUAGE
        return data


class ShortMatterForm(forms.Form):
    service = ServiceChoiceField(
        label=_("Short matter"),
        queryset=Service.objects.public().filter(short_matter=True),
        empty_label=_("– please choose –"),
    )
    persons_present = persons_field()
    repeat_visit = forms.BooleanField(label=_("Came again about the same matter"), required=False)


class WorkItemForm(forms.Form):
    person = forms.CharField(
        label=_("Person the work was for"),
        max_length=80,
        required=False,
        help_text=_("E.g. “applicant”, “child 1”; no full names needed."),
    )
    service = ServiceChoiceField(
        label=_("Service performed"),
        queryset=Service.objects.public(),
        required=False,
        empty_label=_("– no work item –"),
    )
    person_present = forms.BooleanField(label=_("was present"), required=False, initial=True)


class BaseWorkItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.lines():
            raise ValidationError(
                _("Record at least one work item: who the work was for and what.")
            )

    def lines(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data.get("service")]


WorkItemFormSet = forms.formset_factory(
    WorkItemForm, formset=BaseWorkItemFormSet, extra=5, max_num=20, validate_max=True
)


class FinishForm(forms.Form):
    persons_present = persons_field()
    interim_certificate = forms.BooleanField(
        label=_("An interim certificate (Fiktionsbescheinigung) was issued"), required=False
    )
    repeat_visit = forms.BooleanField(label=_("Came again about the same matter"), required=False)


class TeamChoiceField(forms.ModelChoiceField):
    pass


class TransferForm(forms.Form):
    team = TeamChoiceField(
        label=_("Transfer to team"),
        queryset=Team.objects.filter(is_active=True),
        empty_label=_("– please choose –"),
    )
    note = forms.CharField(label=_("Note for the team"), max_length=300, required=False)


class ReassignForm(forms.Form):
    team = TeamChoiceField(
        label=_("Queue"), queryset=Team.objects.filter(is_active=True), empty_label=None
    )


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("priority") == Priority.EMERGENCY and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for the emergency."))
        return data


class CounterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        team = f" – {obj.team}" if obj.team_id else ""
        return f"{tr(obj.location.name)}: {obj.name}{team}"


class SignInForm(forms.Form):
    counter = CounterChoiceField(
        label=_("Counter or room"),
        queryset=Counter.objects.filter(is_active=True, location__is_active=True).select_related(
            "location", "team"
        ),
        empty_label=_("– please choose –"),
    )


class CheckInSearchForm(forms.Form):
    query = forms.CharField(
        label=_("Booking reference or name"),
        max_length=100,
        help_text=_("Scan the QR code of the confirmation or type the reference (T-…) or a name."),
    )
    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DocumentCheckForm(forms.Form):
    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            label = tr(item.title)
            if not item.required:
                label = f"{label} ({_('if applicable')})"
            self.fields[f"item_{item.pk}"] = forms.BooleanField(label=label, required=False)

    def present_ids(self) -> set[int]:
        return {item.pk for item in self.items if self.cleaned_data.get(f"item_{item.pk}")}
