"""The ticket as PDF, printed by the desk in the language the applicant reads."""

import io

import pytest
from pypdf import PdfReader

from tests.accounts.factories import UserFactory
from tests.frontdesk.factories import walk_in
from willkommen.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_desk_prints_the_ticket_as_pdf_in_the_chosen_language(client, office, frozen_clock):
    office["extend"].name = {"de": "Verlängern", "uk": "Продовження"}
    office["extend"].save()
    visit = walk_in(office["location"], office["extend"])
    url = f"/de/staff/frontdesk/visits/{visit.pk}/ticket.pdf"
    assert client.get(url).status_code == 302  # staff only
    client.force_login(UserFactory(roles=[Role.RECEPTION]))
    page = client.get(f"/de/staff/frontdesk/visits/{visit.pk}/ticket/").content.decode()
    assert f'action="{url}"' in page and '<option value="uk" lang="uk"' in page
    response = client.get(url, {"lang": "uk"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert visit.ticket in text and "Продовження" in text
    # An unknown language is the desk's own, never an error.
    german = client.get(url, {"lang": "xx"})
    assert "Verlängern" in PdfReader(io.BytesIO(german.content)).pages[0].extract_text()
