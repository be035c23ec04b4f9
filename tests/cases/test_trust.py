"""Issue 16, the codes and links an applicant holds, and the case items: each test failed on
the main branch before the fix."""

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import TeamFactory, UserFactory
from tests.cases.factories import (
    make_case_type,
    open_case,
    pdf_bytes,
    staff,
    status,
    upload_all_required,
)
from willkommen.accounts.roles import Role
from willkommen.cases import codes, selectors, services
from willkommen.cases.models import AccessLogEntry, Case
from willkommen.core import clock
from willkommen.core.models import OutboxMail

pytestmark = pytest.mark.django_db

LOOKUP = "/de/status/"
CODE_PATTERN = re.compile(r"([0-9A-Z]{4}-){3}[0-9A-Z]{4}")


def complete(case, actor=None):
    upload_all_required(case, actor=actor)
    services.change_status(
        case,
        status(case.case_type, "vollstaendig"),
        actor=actor,
        expected_status_id=case.status_id,
    )


def unlock(client, reference, code):
    return client.post(LOOKUP, {"reference": reference, "code": code})


# --- one access code per case ---------------------------------------------------


def test_the_code_printed_at_the_counter_survives_the_receipt_mail(client):
    case_type = make_case_type()
    clerk = staff(case_type.service.team)
    client.force_login(clerk)
    page = client.post(
        reverse("cases:open"),
        {
            "case_type": case_type.pk,
            "given_name": "Amina",
            "family_name": "Haddad",
            "date_of_birth": "1990-01-01",
            "nationality": "syrisch",
            "email": "amina@example.org",
            "urgency": "normal",
            "difficulty": "normal",
            "notify": "on",
        },
    )
    assert page.status_code == 200, page.content.decode()[:2000]
    paper_code = re.search(r'id="access-code">([^<]+)<', page.content.decode()).group(1)
    case = Case.objects.get()
    complete(case, actor=clerk)
    receipt = OutboxMail.objects.get(dedupe_key=f"case:{case.pk}:receipt")
    assert not CODE_PATTERN.search(receipt.body)  # no second code to replace the paper one
    applicant = Client()
    assert unlock(applicant, case.reference, paper_code).status_code == 302


def test_staff_rotate_the_code_explicitly_logged_and_mailed(client):
    case_type = make_case_type()
    clerk = staff(case_type.service.team)
    opened = open_case(case_type)
    case = opened.case
    client.force_login(clerk)
    response = client.post(reverse("cases:rotate_access_code", args=[case.reference]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    new_code = re.search(r'id="access-code">([^<]+)<', response.content.decode()).group(1)
    assert new_code != opened.access_code
    assert selectors.case_for_applicant(case.reference, opened.access_code) is None
    assert selectors.case_for_applicant(case.reference, new_code) == case
    entry = AccessLogEntry.objects.get(case=case, action=AccessLogEntry.Action.NEW_CODE)
    assert entry.user == clerk
    mail = OutboxMail.objects.get(dedupe_key__startswith=f"case:{case.pk}:access-code:")
    assert mail.to == "amina@example.org"
    assert new_code in mail.body
    assert all(new_code not in link for link in re.findall(r"https?://\S+", mail.body))
    # The case page shows the rotation in the access log (team leads see the log).
    lead = staff(case_type.service.team, role=Role.TEAM_LEAD)
    client.force_login(lead)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'id="rotate-access-code"' in page
    assert "gave the case a new access code" in page or "neuen Zugangscode" in page


def test_rotating_without_an_e_mail_address_mails_nothing_and_shows_the_code(client):
    case_type = make_case_type()
    opened = open_case(case_type, contact_email="")
    code = services.rotate_access_code(opened.case, actor=None)
    assert selectors.case_for_applicant(opened.case.reference, code) == opened.case
    assert not OutboxMail.objects.filter(dedupe_key__contains="access-code").exists()


@pytest.mark.parametrize("who", ["other_team", "reception", "anonymous"])
def test_only_staff_who_see_the_case_rotate_its_code(client, who):
    case_type = make_case_type()
    opened = open_case(case_type)
    users = {
        "other_team": staff(TeamFactory()),
        "reception": UserFactory(roles=[Role.RECEPTION], member_of=[case_type.service.team]),
        "anonymous": None,
    }
    if users[who]:
        client.force_login(users[who])
    response = client.post(reverse("cases:rotate_access_code", args=[opened.case.reference]))
    assert response.status_code in (302, 403, 404)
    assert selectors.case_for_applicant(opened.case.reference, opened.access_code) == opened.case


# --- no code in a URL or a log ------------------------------------------------------


def test_no_mail_link_carries_the_access_code(caplog):
    caplog.set_level(logging.DEBUG)
    case_type = make_case_type()
    opened = open_case(case_type)
    case = opened.case
    services.change_status(
        case, status(case_type, "unvollstaendig"), actor=None, expected_status_id=case.status_id
    )
    complete(case)
    new_code = services.rotate_access_code(case, actor=None)
    mails = list(OutboxMail.objects.filter(dedupe_key__startswith=f"case:{case.pk}:"))
    assert {m.dedupe_key.split(":")[2] for m in mails} >= {
        "confirmation", "status", "receipt", "access-code"
    }  # fmt: skip
    for mail in mails:
        links = re.findall(r"https?://\S+", mail.body)
        assert links, mail.dedupe_key
        for link in links:
            assert "code" not in link and not CODE_PATTERN.search(link), (mail.dedupe_key, link)
    for code in (opened.access_code, new_code):
        assert code not in caplog.text


def test_the_lookup_is_posted_and_a_wrong_try_logs_no_code(client, caplog):
    caplog.set_level(logging.DEBUG)
    opened = open_case(make_case_type())
    assert unlock(client, opened.case.reference, "AAAA-BBBB-CCCC-DDDD").status_code == 400
    assert unlock(client, opened.case.reference, opened.access_code).status_code == 302
    assert opened.access_code not in caplog.text and "AAAA-BBBB" not in caplog.text


# --- rotating SECRET_KEY ------------------------------------------------------------


def test_access_codes_survive_a_secret_key_rotation(client, settings):
    settings.SECRET_KEY = "old-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = []
    opened = open_case(make_case_type())
    settings.SECRET_KEY = "new-key-" + "y" * 50
    # Without the old key among the fallbacks, the code is dead (what main did on rotation).
    assert selectors.case_for_applicant(opened.case.reference, opened.access_code) is None
    settings.SECRET_KEY_FALLBACKS = ["old-key-" + "x" * 50]
    assert unlock(client, opened.case.reference, opened.access_code).status_code == 302
    # The first use stored it under the new key, so the old key can go.
    settings.SECRET_KEY_FALLBACKS = []
    opened.case.refresh_from_db()
    assert opened.case.access_code_hash == codes.hash_code(
        opened.case.reference, opened.access_code
    )
    assert selectors.case_for_applicant(opened.case.reference, opened.access_code) is not None


def test_booking_links_survive_a_secret_key_rotation(settings):
    from tests.booking.factories import AppointmentFactory
    from willkommen.booking import links
    from willkommen.booking.errors import InvalidLink

    appointment = AppointmentFactory()
    settings.SECRET_KEY = "old-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = []
    token = links.make_token(appointment, links.MANAGE)
    settings.SECRET_KEY = "new-key-" + "y" * 50
    with pytest.raises(InvalidLink):
        links.read_token(token, links.MANAGE)
    settings.SECRET_KEY_FALLBACKS = ["old-key-" + "x" * 50]
    assert links.read_token(token, links.MANAGE) == (
        appointment.reference,
        appointment.link_version,
    )


# --- the access log ---------------------------------------------------------------


def test_opened_once_per_working_session_and_every_download_logged(client):
    case_type = make_case_type()
    clerk = staff(case_type.service.team)
    case = open_case(case_type).case
    document = services.upload_document(
        case,
        SimpleUploadedFile("pass.pdf", pdf_bytes()),
        requirement_id=case.requirements.first().pk,
        actor=clerk,
    )
    detail = reverse("cases:detail", args=[case.reference])
    download = reverse("cases:download", args=[case.reference, document.pk])
    client.force_login(clerk)
    for _reload in range(3):
        assert client.get(detail).status_code == 200
    client.post(reverse("cases:add_note", args=[case.reference]), {"text": "Rückruf"})
    client.get(detail)  # back on the page after the note: still the same session
    for _download in range(2):
        assert client.get(download).status_code == 200
    entries = AccessLogEntry.objects.filter(case=case, user=clerk)
    assert entries.filter(action="open").count() == 1
    assert list(entries.filter(action="download").values_list("document_id", flat=True)) == [
        document.pk,
        document.pk,
    ]
    # A new login is a new working session.
    client.logout()
    client.force_login(clerk)
    client.get(detail)
    assert entries.filter(action="open").count() == 2


# --- the applicant page and the team inbox --------------------------------------------


def test_the_interim_certificate_hint_goes_once_one_was_issued(client):
    case_type = make_case_type()
    clerk = staff(case_type.service.team)
    opened = open_case(case_type, permit_expires_on=clock.office_today() + timedelta(days=10))
    unlock(client, opened.case.reference, opened.access_code)
    page = f"/de/status/{opened.case.reference}/"
    assert 'id="interim-certificate-hint"' in client.get(page).content.decode()
    today = clock.office_today()
    services.issue_interim_certificate(
        opened.case,
        number="F-1",
        issued_on=today,
        valid_until=today + timedelta(days=90),
        actor=clerk,
    )
    assert 'id="interim-certificate-hint"' not in client.get(page).content.decode()


def test_the_inbox_sorts_by_permit_expiry_and_flags_the_next_14_days(client):
    case_type = make_case_type()
    clerk = staff(case_type.service.team)
    today = clock.office_today()
    made = {}
    for days, urgency in ((30, "critical"), (5, "normal"), (None, "high"), (14, "normal")):
        expires = today + timedelta(days=days) if days is not None else None
        made[days] = open_case(case_type, permit_expires_on=expires, urgency=urgency).case
    client.force_login(clerk)
    response = client.get(reverse("cases:list"), {"clerk": "none", "order": "expiry"})
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(made[days].reference) for days in (5, 14, 30, None)]
    assert positions == sorted(positions)
    rows = html.split('<tr class="kern-table__row">')[2:]
    flagged = {
        days: 'data-permit-warning="' in next(r for r in rows if made[days].reference in r)
        for days in made
    }
    assert flagged == {5: True, 14: True, 30: False, None: False}
    row_5 = next(r for r in rows if made[5].reference in r)
    assert "läuft in 5 Tagen ab" in row_5 or "expires in 5 days" in row_5  # text, not colour


# --- references ------------------------------------------------------------------------


def test_a_case_opened_at_half_past_midnight_on_new_year_gets_the_new_year(monkeypatch):
    case_type = make_case_type()
    # 00:30 on 1 January 2027 in Berlin is still 31 December 2026 in UTC.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert open_case(case_type).case.reference.startswith("ABH-2027-")
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 22, 30, tzinfo=UTC))
    assert open_case(case_type).case.reference.startswith("ABH-2026-")


def test_the_office_time_zone_is_a_setting(monkeypatch, settings):
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert clock.office_today().year == 2027
    settings.OFFICE_TIME_ZONE = "Europe/London"
    assert clock.office_today().year == 2026
