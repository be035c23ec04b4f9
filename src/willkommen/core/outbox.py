"""The mail outbox (ARCHITECTURE invariant 4).

Protocol:
1. ``queue_mail`` stores the mail inside the caller's transaction. If that
   transaction rolls back, the mail never existed. After commit, a background
   task is enqueued for prompt delivery (at most one per process and quarter
   second; it sends every due mail); the sweep (``deliver_due``, run by
   ``manage.py send_outbox --loop``) catches anything the tasks missed.
2. Delivery first *claims* a mail with one conditional UPDATE (pending → sending,
   with a lease). Only one worker can win the claim, and no database lock is
   held while talking to the SMTP server (on SQLite that would block all writers).
3. After a successful send the mail is marked sent. On an SMTP error it goes
   back to pending with exponential backoff (capped), and is retried until sent.
4. If a worker dies between sending and marking, the lease runs out and the mail
   is sent again with the *same* Message-ID, so mail systems and clients see one
   message. That window (a crash between SMTP's final OK and one UPDATE) is the
   only way a mail can be delivered twice; none is ever lost.
5. An attachment may be *deferred* (``Deferred``): the mail stores the name of a
   registered builder and its arguments, and the worker renders the file when it
   sends the mail, then keeps it, so a retry sends the same bytes. A PDF costs more
   CPU than the rest of a confirmation together; the applicant's click should not
   wait for it. A builder that fails counts as a failed send (retried with backoff).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction

from willkommen.core import clock
from willkommen.core.i18n import SOURCE_LANGUAGE, language_tag, supported_language
from willkommen.core.models import OutboxAttachment, OutboxMail

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)


class OutboxError(RuntimeError):
    pass


@dataclass(frozen=True)
class Deferred:
    """An attachment the worker renders when it sends the mail (see protocol, 5)."""

    filename: str
    mimetype: str
    builder: str  # a name given to ``register_builder``
    arguments: dict = field(default_factory=dict)


_builders: dict[str, Callable[..., bytes]] = {}


def register_builder(name: str, build: Callable[..., bytes]) -> None:
    """Name a function that renders a deferred attachment from its JSON arguments.

    Apps register theirs in ``AppConfig.ready()`` so that every process that sends
    mail (the worker, the tests) knows them.
    """
    _builders[name] = build


def _attachment_row(mail, attachment) -> OutboxAttachment:
    if isinstance(attachment, Deferred):
        if attachment.builder not in _builders:
            raise OutboxError(f"no attachment builder named {attachment.builder!r}")
        return OutboxAttachment(
            mail=mail,
            filename=attachment.filename,
            mimetype=attachment.mimetype,
            builder=attachment.builder,
            arguments=attachment.arguments,
        )
    name, content, mimetype = attachment
    return OutboxAttachment(mail=mail, filename=name, content=content, mimetype=mimetype)


def _content(attachment: OutboxAttachment) -> bytes:
    """The attachment's bytes, rendering (and keeping) a deferred one on first use."""
    if attachment.content or not attachment.builder:
        return bytes(attachment.content)
    build = _builders.get(attachment.builder)
    if build is None:
        raise OutboxError(f"no attachment builder named {attachment.builder!r}")
    content = build(**attachment.arguments)
    OutboxAttachment.objects.filter(pk=attachment.pk).update(content=content)
    return content


def queue_mail(
    *,
    to: str,
    subject: str,
    body: str,
    html: str | None = None,
    attachments: list[tuple[str, bytes, str] | Deferred] | tuple = (),
    dedupe_key: str | None = None,
    language: str | None = None,
) -> OutboxMail:
    """Store a mail to be sent once the surrounding transaction commits.

    Must be called inside ``transaction.atomic``: the mail belongs to a change and
    is stored with it. A repeated ``dedupe_key`` returns the mail already queued.
    ``language`` is the language the text is written in (an applicant's; German,
    the office's, when not given).
    """
    db = transaction.get_connection()
    if not db.in_atomic_block:
        raise OutboxError("queue_mail must be called inside the transaction of the change")
    mail = OutboxMail(
        to=to,
        subject=" ".join(subject.split())[:250],
        body=body,
        html=html or "",
        dedupe_key=dedupe_key or None,
        language=supported_language(language) or SOURCE_LANGUAGE,
        next_attempt_at=clock.now(),
    )
    if mail.dedupe_key:
        # A savepoint of its own: a repeated key rolls back only this insert, and the
        # caller's transaction goes on with the mail queued before.
        try:
            with transaction.atomic():
                mail.save(force_insert=True)
        except IntegrityError:
            return OutboxMail.objects.get(dedupe_key=mail.dedupe_key)
    else:
        mail.save(force_insert=True)
    OutboxAttachment.objects.bulk_create(_attachment_row(mail, a) for a in attachments)
    transaction.on_commit(lambda: _enqueue_delivery(mail.pk))
    return mail


# A delivery task at most every ENQUEUE_SECONDS per process; see _enqueue_delivery.
ENQUEUE_SECONDS = 0.25
_last_enqueued = {"at": -ENQUEUE_SECONDS}
_enqueue_lock = threading.Lock()


def _enqueue_delivery(mail_id: int) -> None:
    """Enqueue prompt delivery, unless this process enqueued a task a moment ago.

    The task sends its own mail and then every other due one (``deliver_mail``).
    Each enqueue is an insert with a commit of its own; in a rush, hundreds of
    mails a second, one task per process and quarter second delivers them all. A
    mail that commits after such a task last looked goes with the next task or the
    sweep (``send_outbox --loop``, every few seconds). At office pace every mail
    gets its own task.
    """
    from willkommen.core.tasks import deliver_mail

    now = time.monotonic()
    with _enqueue_lock:
        if now - _last_enqueued["at"] < ENQUEUE_SECONDS:
            return
        _last_enqueued["at"] = now
    try:
        deliver_mail.enqueue(mail_id)
    except Exception:  # the sweep delivers it anyway; the change itself is committed
        logger.exception("could not enqueue delivery of outbox mail %s", mail_id)


def message_id(mail: OutboxMail) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
    return f"<outbox.{mail.pk}.{int(mail.created_at.timestamp())}@{domain}>"


def claim(mail_id: int) -> bool:
    """Take a due mail for sending; False if it is not due or another worker has it."""
    now = clock.now()
    claimed = (
        OutboxMail.objects.filter(pk=mail_id)
        .due(now)
        .update(status=OutboxMail.Status.SENDING, lease_until=now + LEASE)
    )
    return claimed == 1


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver(mail_id: int, connection=None) -> bool:
    """Send one mail if due. True if this call sent it."""
    if not claim(mail_id):
        return False
    mail = OutboxMail.objects.prefetch_related("attachments").get(pk=mail_id)
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers={"Message-ID": message_id(mail), "Content-Language": language_tag(mail.language)},
        connection=connection,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    try:
        for attachment in mail.attachments.all():
            message.attach(attachment.filename, _content(attachment), attachment.mimetype)
        message.send()
    except Exception as exc:  # SMTP, DNS, TLS, a failing builder: all mean "try again later"
        attempts = mail.attempts + 1
        OutboxMail.objects.filter(pk=mail.pk, status=OutboxMail.Status.SENDING).update(
            status=OutboxMail.Status.PENDING,
            attempts=attempts,
            next_attempt_at=clock.now() + backoff(attempts),
            lease_until=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning("outbox mail %s not sent (attempt %s): %s", mail.pk, attempts, exc)
        return False
    OutboxMail.objects.filter(pk=mail.pk).update(
        status=OutboxMail.Status.SENT,
        attempts=mail.attempts + 1,
        sent_at=clock.now(),
        lease_until=None,
        last_error="",
    )
    return True


def deliver_due(limit: int = 100) -> int:
    """Send every due mail (oldest first). Returns how many were sent."""
    ids = list(
        OutboxMail.objects.due(clock.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    sent = 0
    connection = get_connection()
    try:
        # One SMTP session for the batch. If the server is down, each mail's own
        # send attempt fails again and records the error and its next attempt.
        connection.open()
    except Exception:
        logger.warning("mail server not reachable; every due mail will record the failure")
    try:
        for mail_id in ids:
            sent += deliver(mail_id, connection=connection)
    finally:
        connection.close()
    return sent


def delete_sent_mails(key_prefix: str) -> int:
    """Delete the delivered copies of the mails whose dedupe key starts with ``key_prefix``.

    Retention uses it: a sent mail's copy holds addresses, names and codes. Mails still
    waiting to be sent stay, so that nothing promised is lost.
    """
    deleted, _by_model = OutboxMail.objects.filter(
        dedupe_key__startswith=key_prefix, status=OutboxMail.Status.SENT
    ).delete()
    return deleted
