"""Case files (E-Akte): case types and their status order, cases, documents, receipts.

The status history is append-only; a case's current status is its latest
change (``Case.status`` is a copy kept in the same transaction, used to refuse
a second concurrent change). Which moves are allowed lives in
``cases/transitions.py`` and nowhere else.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.i18n import TranslatedTextField, tr
from willkommen.core.models import AppendOnlyModel


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical (permit expires, hardship)")


class Difficulty(models.TextChoices):
    SIMPLE = "simple", _("simple")
    NORMAL = "normal", _("normal")
    COMPLEX = "complex", _("complex")


class Phase(models.TextChoices):
    """What a status means to the system (the texts are free per case type)."""

    RECEIVED = "received", _("received")
    INCOMPLETE = "incomplete", _("documents incomplete")
    COMPLETE = "complete", _("complete, receipt sent")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting for another authority")
    DECIDED = "decided", _("decided")
    CLOSED = "closed", _("closed")


class CaseType(models.Model):
    """How cases of one service run: their status order, service norm and retention."""

    service = models.OneToOneField(
        "catalog.Service",
        on_delete=models.PROTECT,
        related_name="case_type",
        verbose_name=_("service"),
    )
    norm_days = models.PositiveSmallIntegerField(
        _("service norm in days"),
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("The time the office promises for the whole case, e.g. 56 for 8 weeks."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("days kept after closing"),
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("After this, the case's personal data and documents are deleted."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["service__slug"]
        verbose_name = _("case type")
        verbose_name_plural = _("case types")

    def __str__(self):
        return str(self.service)


class StatusType(models.Model):
    case_type = models.ForeignKey(
        CaseType, on_delete=models.CASCADE, related_name="statuses", verbose_name=_("case type")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"))
    phase = models.CharField(_("meaning"), max_length=20, choices=Phase.choices)
    internal_name = models.CharField(_("name for staff"), max_length=120)
    applicant_text = TranslatedTextField(_("text for the applicant"), multiline=True)
    notify_applicant = models.BooleanField(_("notify the applicant by e-mail"), default=False)
    target_days = models.PositiveSmallIntegerField(_("target duration in days"), default=0)
    skippable = models.BooleanField(
        _("may be skipped"),
        default=False,
        help_text=_("A case may move past this status without entering it."),
    )
    allows_return = models.BooleanField(
        _("cases may return here"),
        default=False,
        help_text=_("A case in a later status may move back to this one."),
    )

    class Meta:
        ordering = ["case_type", "position"]
        verbose_name = _("status type")
        verbose_name_plural = _("status types")
        constraints = [
            models.UniqueConstraint(
                fields=["case_type", "position"], name="status_type_unique_position"
            ),
            models.UniqueConstraint(fields=["case_type", "code"], name="status_type_unique_code"),
        ]

    def __str__(self):
        return self.internal_name


class ReferenceCounter(models.Model):
    """The last number handed out per prefix and year; incremented under the row's lock."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"


class RoutingRule(models.Model):
    """(service, urgency, difficulty) → team; empty urgency/difficulty match any value."""

    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("service"),
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, blank=True)
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, blank=True
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )

    class Meta:
        ordering = ["service", "urgency", "difficulty"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "urgency", "difficulty"], name="routing_rule_unique"
            )
        ]

    def __str__(self):
        return f"{self.service} / {self.urgency or '*'} / {self.difficulty or '*'} → {self.team}"


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True, anonymised_at__isnull=True)

    def closed(self):
        return self.filter(closed_at__isnull=False)

    def open_or_recent(self):
        """What applicants may still look at: every case not yet anonymised."""
        return self.filter(anonymised_at__isnull=True)


class Case(models.Model):
    """Vorgang / E-Akte: the file of one application."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="cases", verbose_name=_("case type")
    )
    status = models.ForeignKey(
        StatusType, on_delete=models.PROTECT, related_name="+", verbose_name=_("current status")
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.NORMAL
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="cases", verbose_name=_("team")
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("clerk"),
    )
    permit_expires_on = models.DateField(_("current permit expires on"), null=True, blank=True)
    contact_email = models.EmailField(_("e-mail for messages"), blank=True)
    language = models.CharField(_("language for messages"), max_length=8, default="de")
    notify_by_email = models.BooleanField(_("e-mail on status changes"), default=True)
    access_code_hash = models.CharField(max_length=64)
    opened_at = models.DateTimeField(_("received at"))
    completed_at = models.DateTimeField(_("complete since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    delete_after = models.DateField(_("delete after"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    source = models.CharField(_("opened through"), max_length=40, default="staff")

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["team", "closed_at"], name="case_team_open_idx"),
            models.Index(
                fields=["case_type", "urgency", "difficulty", "closed_at"],
                name="case_forecast_idx",
            ),
            models.Index(fields=["delete_after"], name="case_retention_idx"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def applicant(self):
        return next((p for p in self.persons.all() if p.role == Person.Role.APPLICANT), None)


class Person(models.Model):
    class Role(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        FAMILY = "family", _("family member")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.APPLICANT)
    related_to = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="family",
        verbose_name=_("family member of"),
    )
    relation = models.CharField(_("relation"), max_length=40, blank=True)
    given_name = models.CharField(_("given names"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return f"{self.given_name} {self.family_name}"


class Representative(models.Model):
    """An employer or a representative (lawyer, counselling service) acting for the applicant."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("employer")
        LAWYER = "lawyer", _("lawyer")
        OTHER = "other", _("other representative")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="representative")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        verbose_name = _("representative or employer")
        verbose_name_plural = _("representatives and employers")

    def __str__(self):
        return self.organisation or self.contact_name


class Job(models.Model):
    """The job offer of an accelerated skilled-worker procedure (§ 81a AufenthG)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="job")
    title = models.CharField(_("job title"), max_length=200)
    qualification = models.CharField(_("vocational or academic qualification"), max_length=200)
    start_on = models.DateField(_("planned start"), null=True, blank=True)
    gross_salary_euros = models.PositiveIntegerField(_("gross annual salary in euros"))
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    workplace = models.CharField(_("place of work"), max_length=200)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self):
        return self.title


class StatusChange(AppendOnlyModel):
    """One entry of the append-only status history (ARCHITECTURE invariant 3)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    sequence = models.PositiveIntegerField()
    status = models.ForeignKey(StatusType, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["case", "sequence"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        constraints = [
            # Two writers that both read sequence n cannot both store n + 1.
            models.UniqueConstraint(fields=["case", "sequence"], name="status_change_sequence")
        ]

    def __str__(self):
        return f"{self.case_id} #{self.sequence}: {self.status}"


class ClassificationChange(models.Model):
    class Field(models.TextChoices):
        URGENCY = "urgency", _("urgency")
        DIFFICULTY = "difficulty", _("difficulty")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="classification_changes")
    field = models.CharField(max_length=10, choices=Field.choices)
    old_value = models.CharField(max_length=10)
    new_value = models.CharField(max_length=10)
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "changed_at"]

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"


class Assignment(models.Model):
    """Who was made responsible, when and by whom (routing, taking, reassigning)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    assigned_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "assigned_at", "id"]

    def __str__(self):
        return f"{self.case_id} → {self.team_id}/{self.clerk_id}"


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "-created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return self.text[:50]


class AgencyRequest(models.Model):
    """Stellungnahme: a request to another authority that the decision waits for."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_requests")
    agency = models.CharField(_("authority"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "sent_on", "id"]
        verbose_name = _("request to another authority")
        verbose_name_plural = _("requests to other authorities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=True) | models.Q(due_on__gte=models.F("sent_on")),
                name="agency_request_due_after_sent",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True)
                | models.Q(answered_on__gte=models.F("sent_on")),
                name="agency_request_answered_after_sent",
            ),
        ]

    def __str__(self):
        return f"{self.agency}: {self.subject}"


class InterimCertificate(models.Model):
    """Fiktionsbescheinigung issued on a case (§ 81 Abs. 5 AufenthG); a KPI."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interim_certificates")
    number = models.CharField(_("document number"), max_length=40)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "issued_on"]
        verbose_name = _("interim certificate")
        verbose_name_plural = _("interim certificates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="interim_certificate_valid_after_issue",
            )
        ]

    def __str__(self):
        return self.number


class Requirement(models.Model):
    """A checklist item as it applied when the case was opened.

    Copied from the catalogue, so that later catalogue edits (which replace a
    service's checklist) neither change nor break what this case required.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requirements")
    checklist_item = models.ForeignKey(
        "catalog.ChecklistItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = TranslatedTextField(_("document"))
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["case", "position", "id"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self):
        return tr(self.title)


class Document(models.Model):
    """One version of an uploaded file. A new upload for the same item supersedes the old one."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("fulfils"),
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )
    version = models.PositiveSmallIntegerField(default=1)
    # A random name chosen by us; the uploader's file name never reaches the disk.
    stored_name = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("file name"), max_length=150)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    pixels = models.PositiveIntegerField(null=True, blank=True)
    scan_result = models.CharField(max_length=20)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_applicant = models.BooleanField(_("uploaded by the applicant"), default=False)

    class Meta:
        ordering = ["case", "requirement", "version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.original_name} (v{self.version})"

    @property
    def content_type(self) -> str:
        return {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[self.kind]


class Receipt(models.Model):
    """Eingangsbestätigung: issued once, when the case became complete."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="receipt")
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    pdf = models.BinaryField()
    mail = models.ForeignKey(
        "core.OutboxMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forecast_text = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self):
        return f"{self.case_id}: {self.issued_at:%Y-%m-%d}"


class AccessLogEntry(models.Model):
    """Who read a case file or downloaded a document, and when (invariant 5)."""

    class Action(models.TextChoices):
        OPEN = "open", _("opened the case file")
        DOWNLOAD = "download", _("downloaded a document")
        API = "api", _("read the case through the API")
        APPLICANT = "applicant", _("applicant viewed the status page")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["case", "-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ContactTopic(models.Model):
    """A topic of the general contact form and the team its messages go to."""

    slug = models.SlugField(_("short name"), unique=True)
    name = TranslatedTextField(_("name"))
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("contact topic")
        verbose_name_plural = _("contact topics")

    def __str__(self):
        return tr(self.name)


class ContactRequest(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    topic = models.ForeignKey(ContactTopic, on_delete=models.PROTECT, related_name="requests")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    case_reference = models.CharField(_("case reference"), max_length=20, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(max_length=8, default="de")
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    delete_after = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")

    def __str__(self):
        return self.reference


def validate_status_order(statuses: list[StatusType]) -> None:
    """A case type's statuses: starts with 'received', one 'complete', ends with one 'closed'."""
    phases = [s.phase for s in sorted(statuses, key=lambda s: s.position)]
    if not phases or phases[0] != Phase.RECEIVED:
        raise ValidationError(_("The first status must mean 'received'."))
    if phases.count(Phase.COMPLETE) != 1:
        raise ValidationError(_("Exactly one status must mean 'complete'."))
    if phases[-1] != Phase.CLOSED or phases.count(Phase.CLOSED) != 1:
        raise ValidationError(_("The last status, and only it, must mean 'closed'."))
