"""Locations, counters, services (Anliegen) and their document checklists.

Applicant-facing texts are ``TranslatedTextField``s (see core.i18n): a new
language needs new texts, not a migration.
"""

from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.i18n import TranslatedTextField, tr


# German Länder, for their public holidays (ISO 3166-2:DE subdivision codes).
class State(models.TextChoices):
    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


def validate_timezone(value):
    if value not in available_timezones():
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value})


class LocationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Location(models.Model):
    """Standort: an office site with counters and rooms."""

    slug = models.SlugField(_("short name"), unique=True)
    name = TranslatedTextField(_("name"))
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("federal state"), max_length=2, choices=State.choices)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_timezone]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opening_hours = TranslatedTextField(_("opening hours"), multiline=True, blank=True)
    accessibility = TranslatedTextField(_("accessibility"), multiline=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self):
        return tr(self.name)


class Counter(models.Model):
    """Platz, Schalter, Raum: where a member of staff receives people."""

    class Kind(models.TextChoices):
        COUNTER = "counter", _("Counter")
        ROOM = "room", _("Room")

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="counters", verbose_name=_("location")
    )
    name = models.CharField(_("name on the display"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROOM)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counters",
        verbose_name=_("team"),
        help_text=_("Empty for reception and emergency counters used by everyone."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["location", "name"]
        verbose_name = _("counter or room")
        verbose_name_plural = _("counters and rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "name"], name="counter_unique_name_per_location"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.location.slug})"


class ServiceCategory(models.Model):
    slug = models.SlugField(_("short name"), unique=True)
    name = TranslatedTextField(_("name"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("service group")
        verbose_name_plural = _("service groups")

    def __str__(self):
        return tr(self.name)


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def public(self):
        return self.active().select_related("category", "team")


class Service(models.Model):
    """Anliegen / Dienstleistung: what an applicant comes for."""

    slug = models.SlugField(_("short name"), unique=True)
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="services", verbose_name=_("group")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = TranslatedTextField(_("name"))
    short_description = TranslatedTextField(_("short description"))
    description = TranslatedTextField(_("description"), multiline=True, blank=True)
    keywords = TranslatedTextField(
        _("search words"), blank=True, help_text=_("Comma-separated words applicants search for.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=120, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes per person"), validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    max_persons = models.PositiveSmallIntegerField(
        _("most persons per appointment"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    fee_cents = models.PositiveIntegerField(_("fee in cents"), default=0)
    fee_note = TranslatedTextField(_("note on the fee"), multiline=True, blank=True)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("responsible team"),
    )
    online_bookable = models.BooleanField(_("bookable online"), default=True)
    emergency_eligible = models.BooleanField(_("emergency appointments possible"), default=False)
    short_matter = models.BooleanField(_("short matter settled at reception"), default=False)
    needs_personal_appearance = models.BooleanField(_("personal appearance needed"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["category__position", "position", "slug"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1), name="service_duration_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(max_persons__gte=1), name="service_max_persons_positive"
            ),
        ]

    def __str__(self):
        return tr(self.name)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("catalog:service", kwargs={"slug": self.slug})


class ChecklistCondition(models.Model):
    """A yes/no question that decides whether a checklist item applies."""

    key = models.SlugField(_("key"), unique=True)
    question = TranslatedTextField(_("question"))
    help = TranslatedTextField(_("explanation"), multiline=True, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("checklist condition")
        verbose_name_plural = _("checklist conditions")

    def __str__(self):
        return tr(self.question)


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("original")
    COPY = "copy", _("copy")
    ORIGINAL_AND_COPY = "original_and_copy", _("original and copy")


class ChecklistItem(models.Model):
    """A document to bring, possibly only under a condition."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("service")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = TranslatedTextField(_("document"))
    explanation = TranslatedTextField(_("explanation"), multiline=True, blank=True)
    form = models.CharField(
        _("original or copy"),
        max_length=20,
        choices=DocumentForm.choices,
        default=DocumentForm.ORIGINAL,
    )
    required = models.BooleanField(_("required"), default=True)
    condition = models.ForeignKey(
        ChecklistCondition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("only if"),
    )
    applies_when = models.BooleanField(
        _("applies when the answer is yes"),
        default=True,
        help_text=_("Untick for items that apply when the answer is no."),
    )

    class Meta:
        ordering = ["service", "position", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return tr(self.title)

    def applies(self, answers: dict[str, bool]) -> bool | None:
        """True/False when the answers decide it, None when the question is unanswered."""
        if self.condition_id is None:
            return True
        answer = answers.get(self.condition.key)
        if answer is None:
            return None
        return answer == self.applies_when


class FrequentQuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class FrequentQuestion(models.Model):
    """A frequently asked question about a service, with its answer, in every language.

    The offices hand these out on paper in their applicants' languages; here they
    are on the service page and found by the start page's search.
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="questions", verbose_name=_("service")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    question = TranslatedTextField(_("question"))
    answer = TranslatedTextField(_("answer"), multiline=True)
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Untick to keep a draft off the public pages.")
    )

    objects = FrequentQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["service", "position", "id"]
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self):
        return tr(self.question)


class FeeQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day)


class Fee(models.Model):
    """Gebühr: one statutory fee of a service (AufenthV), valid from a date.

    A change of the ordinance is a new row with a later ``valid_from``, never an
    edit: a case opened before the change still owes the fee of its day. ``code``
    names the fee within its service (e.g. "up-to-3-months" and "over-3-months"
    for an extension), so each code's newest row on a day is the one in force.
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="fees", verbose_name=_("service")
    )
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = TranslatedTextField(_("what the fee is for"))
    legal_basis = models.CharField(
        _("legal basis"), max_length=120, help_text=_("e.g. § 45 Nr. 2b AufenthV")
    )
    amount_cents = models.PositiveIntegerField(_("amount in cents"))
    # § 50 AufenthV reduces the fees for persons under 18; the office enters the
    # reduced amount itself (empty: no reduction), since the rule is not a flat half.
    minor_amount_cents = models.PositiveIntegerField(
        _("amount for minors in cents"), null=True, blank=True
    )
    exemption_note = TranslatedTextField(
        _("exemptions"),
        multiline=True,
        blank=True,
        help_text=_("Who may be exempt (e.g. § 52 AufenthV), in the applicant's words."),
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Where the amount was taken from.")
    )

    objects = FeeQuerySet.as_manager()

    class Meta:
        ordering = ["service", "position", "code", "-valid_from"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "code", "valid_from"], name="fee_unique_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(minor_amount_cents__isnull=True)
                | models.Q(minor_amount_cents__lte=models.F("amount_cents")),
                name="fee_minor_not_above_full",
            ),
        ]

    def __str__(self):
        return f"{tr(self.label)} ({self.legal_basis})"

    def amount_for(self, *, minor: bool = False) -> int:
        if minor and self.minor_amount_cents is not None:
            return self.minor_amount_cents
        return self.amount_cents
