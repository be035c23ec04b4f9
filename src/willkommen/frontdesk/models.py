"""Visits (Vorsprachen), their tickets, transitions, work items and counter sessions.

State changes happen only in services.py, along the table in states.py.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.models import AppendOnlyModel
from willkommen.frontdesk.states import AT_COUNTER, QUEUED, Action, Status


class Priority(models.TextChoices):
    EMERGENCY = "emergency", _("emergency")
    APPOINTMENT = "appointment", _("appointment")
    WALK_IN = "walk_in", _("walk-in")


class Origin(models.TextChoices):
    APPOINTMENT = "appointment", _("checked-in appointment")
    WALK_IN = "walk_in", _("walk-in ticket")
    RECEPTION = "reception", _("settled at reception")


def new_token() -> str:
    return secrets.token_urlsafe(16)


class TicketSeries(models.Model):
    """The ticket prefix of a service group (A for residence, E for naturalisation, …)."""

    category = models.OneToOneField(
        "catalog.ServiceCategory",
        on_delete=models.CASCADE,
        related_name="ticket_series",
        verbose_name=_("service group"),
    )
    prefix = models.CharField(
        _("ticket prefix"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{1,3}$", _("One to three capital letters."))],
    )

    class Meta:
        ordering = ["prefix"]
        verbose_name = _("ticket series")
        verbose_name_plural = _("ticket series")

    def __str__(self):
        return f"{self.prefix}: {self.category}"


class TicketCounter(models.Model):
    """The last ticket number handed out per location, local day and prefix.

    Numbers are taken by incrementing this row inside the transaction that
    creates the visit: the row lock (PostgreSQL) or the write lock (SQLite,
    IMMEDIATE) makes two receptions never get the same number. A new local day
    is a new row, so numbering restarts at the location's midnight.
    """

    location = models.ForeignKey("catalog.Location", on_delete=models.CASCADE)
    day = models.DateField()
    prefix = models.CharField(max_length=3)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["location", "day", "prefix"], name="ticket_counter_unique"
            )
        ]

    def __str__(self):
        return f"{self.prefix} {self.day}: {self.last_number}"


class VisitQuerySet(models.QuerySet):
    def queued(self):
        return self.filter(status__in=QUEUED)

    def open(self):
        return self.exclude(status__in=[Status.DONE, Status.NO_SHOW, Status.LEFT])

    def of_day(self, location, day):
        return self.filter(location=location, service_day=day)


class Visit(models.Model):
    """Vorsprache: one physical appearance at the office, counted by persons present."""

    location = models.ForeignKey(
        "catalog.Location", on_delete=models.PROTECT, related_name="visits"
    )
    service_day = models.DateField(_("day"), help_text=_("The location's local day."))
    ticket_prefix = models.CharField(_("ticket prefix"), max_length=3)
    ticket_number = models.PositiveIntegerField(_("ticket number"))
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("service"),
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="visits", verbose_name=_("queue")
    )
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    # One appointment, at most one visit: a second check-in fails here as well.
    appointment = models.OneToOneField(
        "booking.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit",
        verbose_name=_("appointment"),
    )
    priority = models.CharField(_("priority"), max_length=12, choices=Priority.choices)
    # The position of ``priority`` in FRONTDESK_PRIORITY_ORDER, stored so that
    # "call next" orders in the database. Set by services whenever priority changes.
    priority_rank = models.PositiveSmallIntegerField(default=0)
    emergency_reason = models.CharField(_("reason for the emergency"), max_length=300, blank=True)
    persons_present = models.PositiveSmallIntegerField(
        _("persons present"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("created at"))
    # Order within a priority: arrival, or for an appointment its start if it came early.
    queued_at = models.DateTimeField(_("in the queue since"))
    counter = models.ForeignKey(
        "catalog.Counter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("counter"),
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frontdesk_visits",
        verbose_name=_("clerk"),
    )
    call_count = models.PositiveSmallIntegerField(_("calls without answer"), default=0)
    last_called_at = models.DateTimeField(_("last called at"), null=True, blank=True)
    interim_certificate = models.BooleanField(_("interim certificate issued"), default=False)
    repeat_visit = models.BooleanField(_("came again about the same matter"), default=False)
    missing_documents = models.JSONField(_("missing documents"), default=list, blank=True)
    documents_checked_at = models.DateTimeField(_("documents checked at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The applicant's language (their appointment's, or chosen at reception): the
    # ticket is printed in it and staff see it beside the ticket.
    language = models.CharField(_("language"), max_length=8, default="de")
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-service_day", "ticket_prefix", "ticket_number"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "service_day", "ticket_prefix", "ticket_number"],
                name="visit_ticket_unique_per_location_day",
            ),
            # Invariant 2 held by the database as well: one clerk, one visitor at a time.
            models.UniqueConstraint(
                fields=["clerk"],
                condition=models.Q(status__in=sorted(AT_COUNTER)),
                name="visit_one_at_counter_per_clerk",
            ),
            models.CheckConstraint(
                condition=models.Q(persons_present__gte=1), name="visit_persons_present_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(priority=Priority.EMERGENCY) | ~models.Q(emergency_reason=""),
                name="visit_emergency_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["location", "status", "priority_rank", "queued_at"]),
        ]

    def __str__(self):
        return f"{self.ticket} ({self.service_day})"

    @property
    def ticket(self) -> str:
        return f"{self.ticket_prefix}{self.ticket_number:03d}"


class VisitTransition(AppendOnlyModel):
    """One state change of a visit, with time, actor and counter (append-only).

    Waiting, walking and serving times, and every KPI of the visit, are computed
    from these rows (ARCHITECTURE invariant 3).
    """

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    counter = models.ForeignKey(
        "catalog.Counter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counter"),
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("queue")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("visit transition")
        verbose_name_plural = _("visit transitions")
        indexes = [models.Index(fields=["to_status", "at"])]

    def __str__(self):
        return f"{self.visit_id}: {self.from_status or '–'} → {self.to_status}"


class WorkItem(models.Model):
    """Arbeitsvorgang: one person the work was for (present or not) and one service performed."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="work_items")
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    person = models.CharField(
        _("person"), max_length=80, help_text=_("E.g. “applicant”, “child 1”.")
    )
    person_present = models.BooleanField(_("person was present"), default=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")

    def __str__(self):
        return f"{self.person}: {self.service}"


class CounterSession(models.Model):
    """A clerk signed in at a counter or room; open while ``ended_at`` is empty."""

    counter = models.ForeignKey(
        "catalog.Counter", on_delete=models.PROTECT, related_name="sessions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counter_sessions"
    )
    started_at = models.DateTimeField(_("signed in at"))
    ended_at = models.DateTimeField(_("signed out at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("counter session")
        verbose_name_plural = _("counter sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["counter"],
                condition=models.Q(ended_at__isnull=True),
                name="counter_session_one_open_per_counter",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(ended_at__isnull=True),
                name="counter_session_one_open_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.counter}"
