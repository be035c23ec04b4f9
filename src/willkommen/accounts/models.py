from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.accounts.roles import Role


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


class AccessToken(models.Model):
    """A personal access token for a staff integration (a script, another system).

    The secret is shown once, at creation; only its SHA-256 digest is stored (the secret
    has 256 random bits, so a plain digest is as good as a slow hash and lets every API
    call check it cheaply). A token acts with the roles it was given, never more than its
    owner holds at the time of the call.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="access_tokens", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100)
    # The token's first characters, shown in lists and logs, and the look-up key.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    roles = models.JSONField(_("roles"), default=list)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def role_labels(self) -> list[str]:
        from willkommen.accounts.roles import Role

        return [Role(r).label for r in self.roles if r in Role.values]


class ProviderIdentity(models.Model):
    """The identity provider's account (issuer + subject) a staff member signs in with.

    The subject, not the e-mail address or user name, identifies the person: those can
    change or be reused, and matching on them would hand a local account (say "admin")
    to whoever the directory gives that name.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="provider_identity", verbose_name=_("user")
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject identifier"), max_length=255)
    first_login = models.DateTimeField(_("first sign-in"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="provider_identity_unique")
        ]
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")

    def __str__(self):
        return f"{self.subject} @ {self.issuer}"


class GroupMapping(models.Model):
    """A directory group of the identity provider and the role or team it grants.

    Read at every sign-on, together with OIDC_GROUP_ROLES and OIDC_GROUP_TEAMS from the
    settings; a person holds exactly the roles and teams their groups grant.
    """

    group = models.CharField(
        _("group in the identity provider"),
        max_length=255,
        help_text=_("As the groups claim lists it, e.g. /abh/sachbearbeitung."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("team")
    )

    class Meta:
        ordering = ["group"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="") | models.Q(team__isnull=False),
                name="group_mapping_grants_something",
            )
        ]
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")

    def __str__(self):
        return f"{self.group} → {self.role or self.team}"
