"""From the booking to a real SMTP server (aiosmtpd): hold mail, confirmation with attachments."""

import email
import re
import socket
from contextlib import contextmanager
from datetime import datetime
from email import policy
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller

from willkommen.booking import services
from willkommen.core import outbox

BERLIN = ZoneInfo("Europe/Berlin")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port, the mail settings pointing to it."""
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def test_hold_and_confirmation_arrive_over_smtp(office, settings):
    with smtp_server(settings) as inbox:
        appointment = services.book(
            location=office.location,
            service=office.service,
            persons=1,
            starts_at=datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN),
            applicant=services.Applicant(name="Zoë Müller", email="zoe@example.org"),
        )
        assert outbox.deliver_due() == 1
        hold_mail = inbox.messages[0]
        assert hold_mail["To"] == "zoe@example.org"
        assert appointment.reference in hold_mail["Subject"]
        body = hold_mail.get_body(preferencelist=("plain",)).get_content()
        token = re.search(r"/confirm/([^/\s]+)/", body).group(1)

        services.confirm(token)
        assert outbox.deliver_due() == 1
        assert outbox.deliver_due() == 0  # nothing sent twice
    confirmation = inbox.messages[1]
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    assert "Zoë Müller" in text and appointment.reference in text
    attachments = {part.get_filename(): part for part in confirmation.iter_attachments()}
    assert set(attachments) == {f"{appointment.reference}.ics", f"{appointment.reference}.pdf"}
    assert attachments[f"{appointment.reference}.pdf"].get_content().startswith(b"%PDF")
    assert "/confirmation.pdf" in text
    ics = attachments[f"{appointment.reference}.ics"].get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "DTSTART:20270311T080000Z" in ics
    assert len(inbox.messages) == 2
