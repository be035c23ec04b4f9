from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMailQuerySet(models.QuerySet):
    def due(self, now):
        """Pending and due, or claimed by a worker whose lease ran out (it died)."""
        pending = models.Q(status=OutboxMail.Status.PENDING, next_attempt_at__lte=now)
        abandoned = models.Q(status=OutboxMail.Status.SENDING, lease_until__lt=now)
        return self.filter(pending | abandoned)


class OutboxMail(models.Model):
    """A mail the system promised, stored in the transaction that promised it.

    ARCHITECTURE invariant 4: written together with the change, delivered by a
    worker, retried until sent. See core/outbox.py for the delivery protocol.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")

    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    to = models.EmailField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    # The language the mail is written in: sent as Content-Language, so that mail
    # programs (and screen readers) read it in the right language.
    language = models.CharField(_("language"), max_length=8, default="de")
    # NULL, not "", for mails without a key: unique must allow many of those.
    dedupe_key = models.CharField(
        _("deduplication key"), max_length=200, unique=True, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutboxMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class OutboxAttachment(models.Model):
    mail = models.ForeignKey(OutboxMail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    # Empty until rendered when ``builder`` names a deferred attachment (core.outbox).
    content = models.BinaryField(blank=True, default=b"")
    mimetype = models.CharField(max_length=100)
    builder = models.CharField(max_length=100, blank=True, default="")
    arguments = models.JSONField(blank=True, default=dict)

    def __str__(self):
        return self.filename


class RateLimitWindow(models.Model):
    """How often one identity acted in one fixed time window (see core/ratelimit.py).

    Stored in the database so that every server process counts together. The key
    is a keyed hash: neither IP addresses nor e-mail addresses are stored.
    """

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate-limit window")
        verbose_name_plural = _("rate-limit windows")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_window_unique")
        ]

    def __str__(self):
        return f"{self.key[:12]}… {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class UsedWaitingTicket(models.Model):
    """A no-script waiting ticket that was accepted once (see core/noscript.py).

    The random id is the primary key, so one INSERT decides which of two concurrent
    submissions of the same ticket wins, on SQLite and PostgreSQL alike; rows survive
    restarts and are purged once the ticket could not be accepted anyway.
    """

    ticket_id = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("used waiting ticket")
        verbose_name_plural = _("used waiting tickets")

    def __str__(self):
        return self.ticket_id


class AppendOnlyError(TypeError):
    """A recorded transition was to be changed or deleted (ARCHITECTURE invariant 3)."""


class AppendOnlyQuerySet(models.QuerySet):
    """Histories are written once: no bulk update or delete, except ``redact``."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} records are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} records are append-only")

    def redact(self, **fields):
        """The one change a record allows: blanking personal text when retention
        anonymises what it belongs to (the transition itself stays, for the figures)."""
        return super().update(**fields)

    def discard_imported(self):
        """The one removal a history allows: rows an import brought in from an earlier
        system, when that import batch is rolled back (``willkommen.imports``). They
        were never this system's own records, and nothing recorded here followed them."""
        return super().delete()


class AppendOnlyModel(models.Model):
    """Base of every transition history: booking's events, visit transitions, case statuses."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} records are append-only")


class WorkerHeartbeat(models.Model):
    """The last sign of life of one ``manage.py worker`` process (core/health.py).

    One row per process (host and pid), written every few seconds by its loop; /healthz
    fails when the newest is too old. Rows of processes gone for a day are deleted.
    """

    worker = models.CharField(max_length=200, primary_key=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.worker} {self.beat_at:%Y-%m-%d %H:%M:%S}"
