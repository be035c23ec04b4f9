"""Complaints (Beschwerden) and praise: the complaint, its history, its letters, its reads.

A complaint is about a team (``team``, the team concerned) and may point to the case,
appointment or visit it is about. Its status moves along ``states.TABLE`` only; every
move is a ``ComplaintEvent`` and every letter sent (acknowledgement, interim reply,
answer) a ``ComplaintLetter``, both append-only. Staff reads are ``ComplaintRead`` rows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from willkommen.complaints.categories import Category
from willkommen.core.i18n import TranslatedTextField
from willkommen.core.models import AppendOnlyModel

__all__ = ["Category"]  # public labels, in their own module (all nine languages)


class Channel(models.TextChoices):
    WEB = "web", _("public form")
    STAFF = "staff", _("recorded by staff (telephone, visit)")
    EMAIL = "email", _("imported e-mail")
    BARRIER = "barrier", _("barrier report (accessibility statement)")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class Action(models.TextChoices):
    SUBMIT = "submit", _("received")
    ACKNOWLEDGE = "acknowledge", _("acknowledge")
    START = "start", _("start work")
    ANSWER = "answer", _("answer")
    CLOSE = "close", _("close")
    REOPEN = "reopen", _("reopen")


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[Status.ANSWERED, Status.CLOSED])


class Complaint(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    channel = models.CharField(_("received via"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    message = models.TextField(_("message"), max_length=10000)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    # Contact: all optional. Without an e-mail no reply is promised (anonymous).
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("team concerned"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints"
    )
    appointment = models.ForeignKey(
        "booking.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
    )
    visit = models.ForeignKey(
        "frontdesk.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
    )
    # A barrier report of the accessibility statement this complaint was made from: one
    # complaint per report, however often the report is announced.
    barrier_report = models.OneToOneField(
        "accessibility.BarrierReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaint",
        verbose_name=_("barrier report"),
    )
    # What the person wrote as their reference, whether or not it named a case or booking.
    given_reference = models.CharField(_("reference given"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("received at"))
    due_on = models.DateField(_("answer due on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    interim_sent_at = models.DateTimeField(_("interim reply sent at"), null=True, blank=True)
    # The first answer: what the deadline figures count (a reopened complaint keeps it).
    answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["status", "due_on"], name="complaint_status_due_idx"),
            models.Index(fields=["received_at"], name="complaint_received_idx"),
        ]

    def __str__(self):
        return self.reference

    @property
    def can_be_answered(self) -> bool:
        """Anonymous complaints (no e-mail) get no reply: none was promised."""
        return bool(self.email)


class ComplaintEvent(AppendOnlyModel):
    """One move of a complaint: from, to, when, who (None: the person or the system)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


class AnswerTemplate(models.Model):
    """A text staff answer from, in every language the office wrote it in.

    ``{reference}`` and ``{name}`` in subject and text are replaced when a letter is made.
    """

    class Kind(models.TextChoices):
        ANSWER = "answer", _("answer")
        INTERIM = "interim", _("interim reply")

    title = models.CharField(_("title (for staff)"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.ANSWER)
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=Category.choices,
        blank=True,
        help_text=_("Offered first for complaints of this category; empty: for every one."),
    )
    subject = TranslatedTextField(_("subject"))
    body = TranslatedTextField(_("text"), multiline=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self):
        return self.title


class ComplaintLetter(AppendOnlyModel):
    """A letter sent to the person, exactly as it went out (through the outbox)."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "ack", _("acknowledgement")
        INTERIM = "interim", _("interim reply")
        ANSWER = "answer", _("answer")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    template = models.ForeignKey(
        AnswerTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10)
    to = models.EmailField(pgettext_lazy("recipient", "to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("text"))
    sent_at = models.DateTimeField(_("queued at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")


class ComplaintRead(models.Model):
    """Who opened a complaint, and when (like a case file's access log)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["complaint", "-at"]
        verbose_name = _("read of a complaint")
        verbose_name_plural = _("reads of complaints")

    def __str__(self):
        return f"{self.complaint_id} {self.at:%Y-%m-%d %H:%M}"
