"""The case (Vorgang / E-Akte) with the persons it is about and its reference counter."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.cases.models.casetypes import CaseType, Difficulty, StatusType, Urgency


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
    # Free text as the permit states it (e.g. "§ 18b AufenthG"): imported records name
    # permits in many ways, and the expiry invitations only show it.
    permit_type = models.CharField(_("type of the current permit"), max_length=80, blank=True)
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
