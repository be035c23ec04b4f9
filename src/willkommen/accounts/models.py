from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    """A specialised unit of the office (Arbeitgeberwechsel, Einbürgerung, …)."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("team mailbox"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A member of staff. Applicants never have accounts."""

    teams = models.ManyToManyField(
        Team, blank=True, related_name="members", verbose_name=_("teams")
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    @property
    def roles(self):
        from willkommen.accounts.roles import roles_of

        return roles_of(self)
