from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from willkommen.controlling import periods
from willkommen.controlling.periods import Period, PeriodError
from willkommen.controlling.staffing import MAX_IMPORT_BYTES


class NumberListField(forms.CharField):
    """Numbers per opening hour, e.g. ``6, 6, 5, 5``."""

    def __init__(self, *, integers=True, **kwargs):
        self.integers = integers
        kwargs.setdefault("max_length", 400)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
        try:
            numbers = [int(p) if self.integers else float(p.replace(",", ".")) for p in parts]
        except ValueError:
            raise ValidationError(_("Enter whole numbers separated by commas.")) from None
        if not numbers or len(numbers) > 24:
            raise ValidationError(_("Enter one number per opening hour (1 to 24)."))
        if any(n < 0 or n > 10_000 for n in numbers):
            raise ValidationError(_("Numbers must be between 0 and 10,000."))
        return numbers


class StaffingForm(forms.Form):
    label = forms.CharField(label=_("Label of this calculation"), max_length=120)
    posts = forms.DecimalField(
        label=_("Posts (full-time equivalents)"), min_value=0, max_value=9999, decimal_places=2
    )
    vacant_posts = forms.DecimalField(
        label=_("Of which vacant"), min_value=0, max_value=9999, decimal_places=2
    )

    def __init__(self, *args, tasks=(), initial_cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = list(tasks)
        initial_cases = initial_cases or {}
        for task in self.tasks:
            self.fields[f"cases_{task.code}"] = forms.IntegerField(
                label=task.name,
                min_value=0,
                max_value=10_000_000,
                initial=initial_cases.get(task.code, 0),
                help_text=_("%(minutes)s minutes per case; from the records: %(counted_as)s")
                % {"minutes": task.minutes_per_case, "counted_as": task.get_counted_as_display()},
            )

    def clean(self):
        data = super().clean()
        posts, vacant = data.get("posts"), data.get("vacant_posts")
        if posts is not None and vacant is not None and vacant > posts:
            self.add_error("vacant_posts", _("There cannot be more vacant posts than posts."))
        return data

    def task_fields(self):
        return [self[f"cases_{task.code}"] for task in self.tasks]

    def cases(self) -> dict[str, int]:
        return {task.code: self.cleaned_data[f"cases_{task.code}"] for task in self.tasks}


class TaskImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file with task times"),
        help_text=_(
            "Columns: code, name, minutes_per_case, source (comma or semicolon separated)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        return upload


class QueueForm(forms.Form):
    arrivals_per_hour = forms.FloatField(
        label=_("Arrivals per hour"), min_value=0, max_value=10_000, initial=30
    )
    mean_service_minutes = forms.FloatField(
        label=_("Mean serving time in minutes"), min_value=0.1, max_value=480, initial=15
    )
    target_wait_minutes = forms.FloatField(
        label=_("Target: waiting at most (minutes)"), min_value=0, max_value=480, initial=20
    )
    target_level = forms.IntegerField(
        label=_("Target: share served within that time (percent)"),
        min_value=1,
        max_value=99,
        initial=80,
    )
    counters = forms.IntegerField(
        label=_("Counters open"), min_value=1, max_value=500, required=False,
        help_text=_("Leave empty to get the number needed."),
    )  # fmt: skip


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Scenario name"), max_length=80)
    counters_by_hour = NumberListField(label=_("Counters open per hour"))
    walk_ins_by_hour = NumberListField(label=_("Walk-ins expected per hour"), integers=False)
    appointments_by_hour = NumberListField(label=_("Appointments booked per hour"))
    mean_service_minutes = forms.FloatField(
        label=_("Mean serving time in minutes"), min_value=1, max_value=240
    )
    no_show_percent = forms.IntegerField(
        label=_("No-shows (percent of appointments)"), min_value=0, max_value=100
    )

    def clean(self):
        data = super().clean()
        lists = [
            data.get(k) for k in ("counters_by_hour", "walk_ins_by_hour", "appointments_by_hour")
        ]
        if all(lists) and len({len(v) for v in lists}) != 1:
            raise ValidationError(
                _("Counters, walk-ins and appointments need the same number of hours.")
            )
        if data.get("counters_by_hour") and data["counters_by_hour"][-1] < 1:
            self.add_error(
                "counters_by_hour", _("At least one counter must be open in the last hour.")
            )
        return data


class SimulationForm(forms.Form):
    days = forms.IntegerField(
        label=_("Days per replication"), min_value=1, max_value=31, initial=21
    )
    replications = forms.IntegerField(
        label=_("Replications"), min_value=1, max_value=1000, initial=100
    )
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**31, initial=1)


DEFAULT_SCENARIOS = [
    {
        "name": _("60 % appointments, 6 counters"),
        "counters_by_hour": "6, 6, 6, 6, 6, 6",
        "walk_ins_by_hour": "10, 9, 8, 7, 6, 4",
        "appointments_by_hour": "12, 12, 12, 12, 12, 10",
        "mean_service_minutes": 20,
        "no_show_percent": 10,
    },
    {
        "name": _("90 % appointments, 5 counters"),
        "counters_by_hour": "5, 5, 5, 5, 5, 5",
        "walk_ins_by_hour": "2, 2, 2, 2, 1, 1",
        "appointments_by_hour": "14, 14, 14, 14, 14, 12",
        "mean_service_minutes": 20,
        "no_show_percent": 10,
    },
]


class KpiFilterForm(forms.Form):
    """Which period, location, team and service the key figures are for (GET)."""

    KINDS = [
        ("month", _("Month")),
        ("week", _("Week")),
        ("day", _("Day")),
        ("year", _("Year")),
        ("range", _("From … to")),
    ]
    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, initial="month")
    on = forms.DateField(
        label=_("A day in the period"),
        help_text=_("For “from … to”: the first day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Last day"),
        required=False,
        help_text=_("Only for “from … to”."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=None, required=False, empty_label=_("All locations")
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("All teams")
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=None, required=False, empty_label=_("All services")
    )

    def __init__(self, data=None, *, today, locations, teams, services):
        if data is not None and not data:
            data = None  # no filter given: the defaults, not "every field missing"
        super().__init__(data, initial={"kind": "month", "on": today})
        self.fields["location"].queryset = locations
        self.fields["team"].queryset = teams
        self.fields["service"].queryset = services

    def clean(self):
        data = super().clean()
        kind, on, until = data.get("kind"), data.get("on"), data.get("until")
        if not (kind and on):
            return data
        try:
            data["period"] = period_of(kind, on, until)
        except PeriodError as error:
            self.add_error("until" if kind == "range" else "on", str(error))
        return data

    def scope_arguments(self) -> dict:
        """The chosen values, or the defaults when the form was not sent."""
        if not self.is_bound:
            return {"period": period_of("month", self.initial["on"], None)}
        data = self.cleaned_data
        return {
            "period": data["period"],
            "location": data.get("location"),
            "team": data.get("team"),
            "service": data.get("service"),
        }


def period_of(kind: str, on, until) -> Period:
    if kind == "day":
        return periods.day(on)
    if kind == "week":
        return periods.week_of(on)
    if kind == "year":
        return periods.year(on.year)
    if kind == "range":
        if until is None:
            raise PeriodError(_("Give the last day of the period."))
        return Period(on, until, "range")
    return periods.month(on.year, on.month)
