"""A complaint from an .eml file: parsed with the stdlib, scanned, bad files refused."""

from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import EICAR
from willkommen.complaints.models import Complaint, Status
from willkommen.core.models import OutboxMail

pytestmark = pytest.mark.django_db


def eml(*, html=False, attachment=None, sender="Ayşe Yılmaz <ayse@example.org>", lang="tr"):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "abh@example.de"
    message["Subject"] = "Beschwerde über die Wartezeit"
    message["Date"] = "Mon, 07 Dec 2026 09:30:00 +0100"
    if html:
        message.set_content("<p>Ich habe <b>vier Stunden</b> gewartet.</p>", subtype="html")
    else:
        message.set_content("Ich habe vier Stunden gewartet.\n")
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="octet-stream",
                               filename="a.bin")  # fmt: skip
    # Last: set_content and add_attachment move or drop the Content-* headers.
    message["Content-Language"] = lang
    return message.as_bytes()


def upload(client, content, name="beschwerde.eml", **fields):
    return client.post(
        "/de/staff/complaints/import/",
        {"file": SimpleUploadedFile(name, content), "category": "waiting_time", **fields},
    )


def test_an_imported_mail_becomes_a_complaint_in_its_language(client, lead):
    client.force_login(lead)
    response = upload(client, eml(attachment=b"\x00\x01"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "email" and complaint.email == "ayse@example.org"
    assert complaint.name == "Ayşe Yılmaz" and complaint.language == "tr"
    assert complaint.subject == "Beschwerde über die Wartezeit"
    assert complaint.message == "Ich habe vier Stunden gewartet."
    assert complaint.received_at.isoformat() == "2026-12-07T08:30:00+00:00"
    assert complaint.status == Status.ACKNOWLEDGED
    assert OutboxMail.objects.get().language == "tr"


def test_an_html_only_mail_is_reduced_to_its_text(client, lead):
    client.force_login(lead)
    assert upload(client, eml(html=True), language="de").status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.message == "Ich habe vier Stunden gewartet." and complaint.language == "de"


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"%PDF-1.4 not a mail", "beschwerde.eml", "E-Mail"),
        (eml(), "beschwerde.pdf", ".eml-Datei"),
        (eml(sender="nobody"), "beschwerde.eml", "keine gültige Absenderadresse"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(client, lead, content, name, error):
    client.force_login(lead)
    response = upload(client, content, name=name)
    assert response.status_code == 400 and error in response.content.decode(), error
    assert not Complaint.objects.exists() and not OutboxMail.objects.exists()


def test_a_file_too_large_is_refused(client, lead, settings):
    settings.COMPLAINT_EML_MAX_BYTES = 100
    client.force_login(lead)
    response = upload(client, eml())
    assert response.status_code == 400 and "größer als" in response.content.decode()


def test_a_mail_carrying_a_virus_is_refused(client, lead, clamd, settings):
    settings.CLAMD_SOCKET = clamd.socket
    client.force_login(lead)
    response = upload(client, eml(attachment=EICAR))
    assert response.status_code == 400
    assert not Complaint.objects.exists()
