import socket
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.db import transaction

from willkommen.core import clock, outbox
from willkommen.core.models import OutboxMail

pytestmark = pytest.mark.django_db


def queue(**kwargs):
    with transaction.atomic():
        return outbox.queue_mail(
            to=kwargs.pop("to", "amira@example.org"),
            subject=kwargs.pop("subject", "Ihr Termin"),
            body=kwargs.pop("body", "Hallo"),
            **kwargs,
        )


@pytest.mark.django_db(transaction=True)
def test_queue_outside_a_transaction_is_refused():
    with pytest.raises(outbox.OutboxError):
        outbox.queue_mail(to="a@example.org", subject="s", body="b")
    assert OutboxMail.objects.count() == 0


def test_rolled_back_change_leaves_no_mail():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue_mail(to="a@example.org", subject="s", body="b")
        raise RuntimeError("the change failed after the mail was queued")
    assert OutboxMail.objects.count() == 0


def test_mail_waits_in_the_outbox_until_delivered():
    queued = queue(attachments=[("termin.ics", b"BEGIN:VCALENDAR", "text/calendar")])
    assert django_mail.outbox == []
    assert outbox.deliver_due() == 1
    assert len(django_mail.outbox) == 1
    sent = django_mail.outbox[0]
    assert sent.to == ["amira@example.org"]
    assert sent.attachments[0][0] == "termin.ics"
    assert sent.extra_headers["Message-ID"] == outbox.message_id(queued)
    queued.refresh_from_db()
    assert queued.status == OutboxMail.Status.SENT and queued.sent_at is not None
    assert outbox.deliver_due() == 0  # nothing is sent twice
    assert len(django_mail.outbox) == 1


def test_a_deferred_attachment_is_rendered_once_when_the_mail_leaves(monkeypatch):
    rendered = []

    def letter(name):
        rendered.append(name)
        return f"Brief an {name}".encode()

    monkeypatch.setattr(outbox, "_builders", {})  # this test's registry only
    outbox.register_builder("test.letter", letter)
    queued = queue(
        attachments=[outbox.Deferred("brief.txt", "text/plain", "test.letter", {"name": "Amira"})]
    )
    assert rendered == []  # nothing rendered inside the change's transaction
    assert outbox.deliver_due() == 1
    assert rendered == ["Amira"]
    # Django hands text attachments over decoded.
    assert [tuple(a) for a in django_mail.outbox[0].attachments] == [
        ("brief.txt", "Brief an Amira", "text/plain")
    ]
    assert bytes(queued.attachments.get().content) == b"Brief an Amira"


def test_an_unknown_builder_is_refused_with_the_change():
    with pytest.raises(outbox.OutboxError), transaction.atomic():
        outbox.queue_mail(
            to="a@example.org",
            subject="s",
            body="b",
            attachments=[outbox.Deferred("x.pdf", "application/pdf", "no.such.builder")],
        )
    assert OutboxMail.objects.count() == 0


def test_dedupe_key_queues_once():
    first = queue(dedupe_key="appointment:7:confirmation")
    second = queue(dedupe_key="appointment:7:confirmation", subject="anders")
    assert first.pk == second.pk
    assert OutboxMail.objects.count() == 1


def test_a_repeated_key_in_the_same_transaction_leaves_it_usable():
    """The insert of a keyed mail has a savepoint of its own: the duplicate's
    IntegrityError rolls back only that, not the caller's transaction (which
    PostgreSQL would otherwise refuse to go on with)."""
    with transaction.atomic():
        first = outbox.queue_mail(to="a@example.org", subject="s", body="b", dedupe_key="k:1")
        again = outbox.queue_mail(to="a@example.org", subject="t", body="c", dedupe_key="k:1")
        other = outbox.queue_mail(to="b@example.org", subject="s", body="b")  # still works
    assert again.pk == first.pk and again.subject == "s"
    assert OutboxMail.objects.count() == 2 and other.pk


def test_only_one_worker_wins_the_claim():
    queued = queue()
    assert outbox.claim(queued.pk) is True
    assert outbox.claim(queued.pk) is False
    assert outbox.deliver(queued.pk) is False  # claimed by the other worker
    assert django_mail.outbox == []


def test_a_worker_that_died_after_claiming_is_taken_over_after_the_lease(monkeypatch):
    queued = queue()
    assert outbox.claim(queued.pk)  # …and the worker crashes here
    assert outbox.deliver_due() == 0
    later = clock.now() + outbox.LEASE + timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert outbox.deliver_due() == 1
    assert len(django_mail.outbox) == 1


def test_failed_send_is_retried_with_backoff(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_TIMEOUT = 2
    queued = queue()
    assert outbox.deliver_due() == 0
    queued.refresh_from_db()
    assert queued.status == OutboxMail.Status.PENDING
    assert queued.attempts == 1
    assert "Error" in queued.last_error or "refused" in queued.last_error.lower()
    assert queued.next_attempt_at > clock.now()
    assert outbox.deliver_due() == 0  # not due yet: backoff
    assert [outbox.backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert outbox.backoff(30) == outbox.MAX_BACKOFF


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_real_smtp_server_down_then_up_sends_exactly_once(settings, monkeypatch):
    """End to end over SMTP: nothing is lost while the server is down, nothing sent twice."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope.content.decode("utf-8", "replace"))
            return "250 OK"

    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    queued = queue(subject="Eingangsbestätigung ABH-2026-000001", body="Grüße – Ihre Behörde")

    assert outbox.deliver_due() == 0  # server down
    queued.refresh_from_db()
    assert queued.status == OutboxMail.Status.PENDING and queued.attempts == 1

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        later = clock.now() + timedelta(hours=2)
        monkeypatch.setattr(clock, "now", lambda: later)
        assert outbox.deliver_due() == 1
        assert outbox.deliver_due() == 0
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    assert outbox.message_id(queued) in inbox.messages[0]
    assert "Eingangsbest" in inbox.messages[0]


@pytest.fixture
def no_recent_task(monkeypatch):
    monkeypatch.setattr(outbox, "_last_enqueued", {"at": -outbox.ENQUEUE_SECONDS})


def test_commit_enqueues_prompt_delivery_task(django_capture_on_commit_callbacks, no_recent_task):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        queued = queue()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [queued.pk]
    assert task.task_path == "willkommen.core.tasks.deliver_mail"


def test_a_rush_of_mails_shares_one_task_that_sends_them_all(
    django_capture_on_commit_callbacks, no_recent_task
):
    from django_tasks_db.models import DBTaskResult

    from willkommen.core.tasks import deliver_mail

    with django_capture_on_commit_callbacks(execute=True):
        first = queue(to="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        queue(to="b@example.org")  # within the quarter second: no task of its own
    assert DBTaskResult.objects.count() == 1
    assert deliver_mail.call(first.pk) is True
    assert sorted(sent.to[0] for sent in django_mail.outbox) == ["a@example.org", "b@example.org"]
    assert OutboxMail.objects.filter(status=OutboxMail.Status.SENT).count() == 2
    outbox._last_enqueued["at"] -= outbox.ENQUEUE_SECONDS  # a quarter second later
    with django_capture_on_commit_callbacks(execute=True):
        queue(to="c@example.org")
    assert DBTaskResult.objects.count() == 2
