from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.models import AppendOnlyError, AppendOnlyModel

__all__ = ["AppendOnlyError", "Event"]


class Event(AppendOnlyModel):
    """One recorded transition: never changed, never deleted (ARCHITECTURE invariant 3).

    ``actor`` is the member of staff who did it, or None for the applicant or the system.
    """

    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
