"""The expiry register's staff forms (German only, like every staff page)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RegisterFilterForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    weeks = forms.IntegerField(label=_("Weeks ahead"), min_value=1, max_value=52, required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("all my teams"))] + [(t.pk, t.name) for t in teams]


class PauseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the pause"), max_length=300)
