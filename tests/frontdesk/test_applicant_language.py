"""The applicant's language at the front desk (issue 18): taken from the appointment or
asked at reception, printed on the ticket, shown to staff beside the ticket."""

import re
from datetime import timedelta

import pytest

from tests.accounts.factories import UserFactory
from tests.booking.factories import AppointmentFactory
from willkommen.accounts.roles import Role
from willkommen.frontdesk import services
from willkommen.frontdesk.models import Visit
from willkommen.frontdesk.services import FrontdeskError

pytestmark = pytest.mark.django_db

RECEPTION = "/de/staff/frontdesk/reception/"


@pytest.fixture
def desk(client, office):
    client.force_login(UserFactory(roles=[Role.RECEPTION]))
    return client


def walk_in(desk, office, **language):
    data = {"walkin-service": office["extend"].pk, "walkin-persons_present": 1}
    data.update({f"walkin-{key}": value for key, value in language.items()})
    return desk.post(RECEPTION + "ticket/", data)


def sheet(html: str) -> tuple[str, str]:
    """The (lang, dir) of the ticket sheet."""
    match = re.search(r'<main id="main" class="ticket-sheet" lang="([^"]+)" dir="([^"]+)"', html)
    return match.group(1), match.group(2)


def test_check_in_takes_the_language_of_the_booking(office, frozen_clock, desk):
    appointment = AppointmentFactory(
        location=office["location"], service=office["extend"], language="uk",
        starts_at=frozen_clock.return_value + timedelta(minutes=5),
    )  # fmt: skip
    response = desk.post(f"{RECEPTION}check-in/{appointment.pk}/")
    visit = Visit.objects.get()
    assert visit.language == "uk"
    html = desk.get(response.url).content.decode()
    assert sheet(html) == ("uk", "ltr")
    # The QR code leads to the ticket page in the applicant's language.
    assert f"/uk/ticket/{visit.token}/" in html
    # A second line in German for whoever else reads the ticket.
    assert 'class="ticket-hint" lang="de"' in html


def test_walk_in_ticket_in_the_language_reception_asked_for(office, frozen_clock, desk):
    response = desk.post(
        RECEPTION + "ticket/",
        {
            "walkin-service": office["extend"].pk,
            "walkin-persons_present": 1,
            "walkin-language": "ar",
        },
    )
    visit = Visit.objects.get()
    assert visit.language == "ar"
    assert sheet(desk.get(response.url).content.decode()) == ("ar", "rtl")
    # The reception's queue shows the language beside the ticket, named in German.
    queue = desk.get(RECEPTION + f"?location={office['location'].slug}").content.decode()
    assert 'class="language-badge"' in queue and "Arabisch" in queue


def test_reprint_in_another_language_and_unknown_ones_fall_back(office, frozen_clock, desk):
    walk_in(desk, office, language="tr")
    visit = Visit.objects.get()
    url = f"/de/staff/frontdesk/visits/{visit.pk}/ticket/"
    assert sheet(desk.get(url + "?lang=sr-Latn").content.decode()) == ("sr-latn", "ltr")
    assert sheet(desk.get(url + "?lang=xx").content.decode()) == ("tr", "ltr")
    assert sheet(desk.get(url).content.decode()) == ("tr", "ltr")
    visit.refresh_from_db()
    assert visit.language == "tr"  # a reprint changes nothing


def test_an_unknown_language_is_refused_and_nothing_is_issued(office, frozen_clock, desk):
    response = desk.post(
        RECEPTION + "ticket/",
        {
            "walkin-service": office["extend"].pk,
            "walkin-persons_present": 1,
            "walkin-language": "xx",
        },
    )
    assert response.status_code == 400
    assert not Visit.objects.exists()
    with pytest.raises(FrontdeskError, match="klingon"):
        services.issue_ticket(location=office["location"], service=office["extend"],
                              persons_present=1, actor=None, language="klingon")  # fmt: skip
    assert not Visit.objects.exists()


def test_without_a_choice_the_ticket_is_german(office, frozen_clock, desk):
    walk_in(desk, office)
    assert Visit.objects.get().language == "de"
