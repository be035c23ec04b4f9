"""What a complaint is about: the categories the public form offers (nine languages)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    WAITING_TIME = "waiting_time", _("Waiting time")
    TREATMENT = "treatment", _("Treatment by staff")
    DECISION = "decision", _("A decision")
    ACCESSIBILITY = "accessibility", _("Accessibility barrier")
    PRAISE = "praise", _("Praise")
