"""Mails and calendar files in the applicant's language (issue 18), said in the headers
a mail program and a calendar read; staff see the language beside the name."""

import email
from datetime import datetime
from email import policy
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import transaction
from django.utils import translation

from tests.accounts.factories import UserFactory
from tests.booking.test_mail_end_to_end import smtp_server
from willkommen.accounts.roles import Role
from willkommen.booking import documents, services
from willkommen.booking.models import Channel
from willkommen.core import outbox
from willkommen.core.models import OutboxMail

BERLIN = ZoneInfo("Europe/Berlin")
THURSDAY_9 = datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)


def book(office, language, name="Ada Muster"):
    return services.book(
        location=office.location,
        service=office.service,
        persons=1,
        starts_at=THURSDAY_9,
        applicant=services.Applicant(name, "ada@example.org"),
        channel=Channel.STAFF,
        language=language,
    )


@pytest.mark.django_db
def test_mails_carry_the_applicants_language_over_smtp(office, settings):
    with smtp_server(settings) as inbox:
        book(office, "sr-latn")
        assert OutboxMail.objects.get().language == "sr-latn"
        assert outbox.deliver_due() == 1
    message = email.message_from_bytes(inbox.messages[0].as_bytes(), policy=policy.default)
    assert message["Content-Language"] == "sr-Latn"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "tag"), [("ar", "ar"), ("uk", "uk"), ("sr-latn", "sr-Latn")])
def test_the_calendar_file_says_its_language(office, language, tag):
    appointment = book(office, language)
    with translation.override(appointment.language):
        event = icalendar.Calendar.from_ical(documents.calendar_file(appointment)).walk("VEVENT")[0]
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
        assert event[name].params["LANGUAGE"] == tag
    assert appointment.reference in str(event["SUMMARY"])


@pytest.mark.django_db
def test_an_unknown_language_is_written_as_german(db):
    with transaction.atomic():
        mail = outbox.queue_mail(to="a@example.org", subject="s", body="b", language="xx")
    assert mail.language == "de"
    with transaction.atomic():
        mail = outbox.queue_mail(to="b@example.org", subject="s", body="b", language="ar-EG")
    assert mail.language == "ar"


@pytest.mark.django_db
def test_staff_see_the_language_beside_the_name(office, client):
    appointment = book(office, "ar", name="Layla Haddad")
    client.force_login(UserFactory(roles=[Role.RECEPTION, Role.CLERK]))
    page = client.get(f"/de/staff/booking/appointments/{appointment.pk}/").content.decode()
    assert "Layla Haddad" in page
    assert (
        '<span class="language-badge" title="العربيّة"><span lang="ar">AR</span> · Arabisch</span>'
        in page
    )
