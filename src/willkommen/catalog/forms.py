from django import forms
from django.utils.translation import gettext_lazy as _

from willkommen.catalog.selectors import MAX_QUERY_LENGTH
from willkommen.core.i18n import tr_html

ANSWER_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("What do you need?"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("For example: extend residence permit, Blue Card, naturalisation"),
    )


class ConditionAnswersForm(forms.Form):
    """One yes/no question per condition the service's checklist depends on."""

    def __init__(self, *args, conditions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for condition in conditions:
            self.fields[condition.key] = forms.ChoiceField(
                label=tr_html(condition.question),
                help_text=tr_html(condition.help),
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )

    def answers(self) -> dict[str, bool]:
        return {
            key: value == "yes"
            for key, value in self.cleaned_data.items()
            if value in {"yes", "no"}
        }
