"""The general contact form: topics and the messages sent through it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.i18n import TranslatedTextField, tr


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
