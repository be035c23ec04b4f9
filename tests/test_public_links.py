"""The public pages lead to what booking and cases offer, without naming their URLs."""

import pytest

from willkommen.catalog.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_types(demo_catalog):
    from willkommen.cases.casetypes import load_case_types_file

    load_case_types_file()


def test_start_page_lists_what_else_applicants_can_do(client, case_types):
    page = client.get("/de/").content.decode()
    assert 'id="public-links"' in page
    for path in (
        "/de/appointments/",
        "/de/appointments/emergency/",
        "/de/status/",
        "/de/apply/skilled-worker/",
        "/de/apply/naturalisation/",
        "/de/contact/",
    ):
        assert f'href="{path}"' in page
        assert client.get(path).status_code == 200
    assert "Termin buchen" in page


def test_online_forms_are_offered_only_once_they_are_set_up(client, demo_catalog):
    page = client.get("/de/").content.decode()
    assert "/de/apply/skilled-worker/" not in page  # no case type yet: the form would 404
    assert 'href="/de/status/"' in page


def test_a_bookable_service_offers_booking_and_the_emergency_request(client, demo_catalog):
    service = Service.objects.filter(online_bookable=True).first()
    page = client.get(f"/de/services/{service.slug}/").content.decode()
    assert f'href="/de/appointments/?service={service.pk}"' in page
    urgent = Service.objects.filter(emergency_eligible=True).first()
    page = client.get(f"/de/services/{urgent.slug}/").content.decode()
    assert f'href="/de/appointments/emergency/?service={urgent.pk}"' in page
    booking = client.get(f"/de/appointments/?service={service.pk}")
    assert booking.status_code == 200  # preselected, not validated
    assert f'<option value="{service.pk}" selected>' in booking.content.decode()


def test_a_service_that_cannot_be_booked_offers_no_booking(client, demo_catalog):
    service = Service.objects.first()
    service.online_bookable = False
    service.save()
    page = client.get(f"/de/services/{service.slug}/").content.decode()
    assert "/de/appointments/?service=" not in page


def test_the_skilled_worker_service_offers_the_online_form(client, case_types):
    page = client.get("/de/services/beschleunigtes-fachkraefteverfahren/").content.decode()
    assert 'href="/de/apply/skilled-worker/"' in page
