import re
from datetime import timedelta

import pytest

from tests.accounts.factories import UserFactory
from tests.booking.factories import AppointmentFactory
from tests.frontdesk.factories import clerk_at, walk_in
from willkommen.accounts.roles import Role
from willkommen.frontdesk import services
from willkommen.frontdesk.models import Visit, WorkItem
from willkommen.frontdesk.states import Status

pytestmark = pytest.mark.django_db

RECEPTION = "/de/staff/frontdesk/reception/"
CLERK = "/de/staff/frontdesk/clerk/"


def work_rows(*rows, prefix="work"):
    data = {f"{prefix}-TOTAL_FORMS": "5", f"{prefix}-INITIAL_FORMS": "0"}
    for index, (person, service, present) in enumerate(rows):
        data[f"{prefix}-{index}-person"] = person
        data[f"{prefix}-{index}-service"] = str(service.pk)
        if present:
            data[f"{prefix}-{index}-person_present"] = "on"
    return data


@pytest.fixture
def desk(client, office):
    client.force_login(UserFactory(username="erika", roles=[Role.RECEPTION]))
    return client


def test_staff_pages_need_the_right_role(client, office):
    assert client.get(RECEPTION).status_code == 302
    client.force_login(UserFactory(roles=[Role.CONTROLLER]))
    for url in (RECEPTION, CLERK, "/de/staff/frontdesk/overview/"):
        assert client.get(url).status_code == 403


def test_reception_issues_a_walk_in_ticket_with_qr_code(desk, office, frozen_clock):
    page = desk.get(RECEPTION)
    assert page.status_code == 200 and "Wartenummer ziehen" in page.content.decode()
    response = desk.post(
        RECEPTION + "ticket/", {"walkin-service": office["extend"].pk, "walkin-persons_present": 2}
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/visits/{visit.pk}/ticket/")
    ticket = desk.get(response.url).content.decode()
    assert "A001" in ticket and "<svg" in ticket and visit.token in ticket
    assert visit.persons_present == 2


def test_emergency_without_reason_is_a_clear_error(desk, office, frozen_clock):
    response = desk.post(
        RECEPTION + "ticket/",
        {
            "walkin-service": office["extend"].pk,
            "walkin-persons_present": 1,
            "walkin-emergency": "on",
        },
    )
    assert response.status_code == 400
    assert "Grund für den Notfall" in response.content.decode()
    assert not Visit.objects.exists()


def test_reception_settles_a_short_matter(desk, office, frozen_clock):
    data = {"short-service": office["pickup"].pk, "short-persons_present": 1}
    data.update(work_rows(("Mutter", office["pickup"], True), ("Kind", office["pickup"], False)))
    response = desk.post(RECEPTION + "settle/", data)
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.status == Status.DONE and visit.work_items.count() == 2


def test_short_matter_without_work_items_is_refused(desk, office, frozen_clock):
    data = {"short-service": office["pickup"].pk, "short-persons_present": 1, **work_rows()}
    response = desk.post(RECEPTION + "settle/", data)
    assert response.status_code == 400 and not Visit.objects.exists()


def test_reception_finds_and_checks_in_an_appointment(desk, office, frozen_clock):
    now = frozen_clock.return_value
    appointment = AppointmentFactory(
        location=office["location"], service=office["extend"], applicant_name="Amira Haddad",
        starts_at=now + timedelta(minutes=20),
    )  # fmt: skip
    by_name = desk.get(RECEPTION, {"query": "haddad"}).content.decode()
    assert appointment.reference in by_name and "20 Min. zu früh" in by_name
    by_reference = desk.get(RECEPTION, {"query": appointment.reference.lower()}).content.decode()
    assert "Amira Haddad" in by_reference
    response = desk.post(f"{RECEPTION}check-in/{appointment.pk}/")
    assert response.status_code == 302
    assert Visit.objects.get().appointment == appointment
    again = desk.post(f"{RECEPTION}check-in/{appointment.pk}/", follow=True)
    assert "kann nicht eingecheckt werden" in again.content.decode()
    assert Visit.objects.count() == 1


def test_document_check_page(desk, office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    passport, photo = office["extend"].checklist.all()
    url = f"/de/staff/frontdesk/visits/{visit.pk}/documents/"
    assert "Pass" in desk.get(url).content.decode()
    desk.post(url, {f"item_{passport.pk}": "on"})
    visit.refresh_from_db()
    assert [d["id"] for d in visit.missing_documents] == [photo.pk]


def test_clerk_signs_in_calls_serves_and_finishes(client, office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    clerk = UserFactory(roles=[Role.CLERK])
    client.force_login(clerk)
    assert "Schalter" in client.get(CLERK).content.decode()
    client.post(CLERK + "sign-in/", {"counter": office["family_counter"].pk})
    client.post(CLERK + "next/")
    page = client.get(CLERK).content.decode()
    assert "A001" in page and "Aufruf wiederholen" in page
    client.post(f"{CLERK}visits/{visit.pk}/start/")
    data = {"persons_present": 1, "interim_certificate": "on"}
    data.update(
        work_rows(*[(p, office["extend"], p == "Vater") for p in ("Vater", "K1", "K2", "K3")])
    )
    response = client.post(f"{CLERK}visits/{visit.pk}/finish/", data, follow=True)
    assert "4 Arbeitsvorgänge" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == Status.DONE and WorkItem.objects.filter(visit=visit).count() == 4


def test_clerk_stale_action_shows_a_message_and_changes_nothing(client, office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    other = clerk_at(office["family_counter_2"])
    services.call_next(user=other)
    client.force_login(clerk_at(office["family_counter"]))
    response = client.post(f"{CLERK}visits/{visit.pk}/start/", follow=True)
    assert "nicht bei Ihnen" in response.content.decode()
    assert Visit.objects.get(pk=visit.pk).clerk == other
    assert client.post(f"{CLERK}visits/{visit.pk}/teleport/").status_code == 404


def test_overview_and_team_lead_steering(client, office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    client.force_login(UserFactory(roles=[Role.CLERK]))
    page = client.get("/de/staff/frontdesk/overview/").content.decode()
    assert "A001" in page and "Priorität setzen" not in page
    assert client.post(f"/de/staff/frontdesk/visits/{visit.pk}/priority/").status_code == 403
    client.force_login(UserFactory(roles=[Role.TEAM_LEAD]))
    assert "Priorität setzen" in client.get("/de/staff/frontdesk/overview/").content.decode()
    client.post(
        f"/de/staff/frontdesk/visits/{visit.pk}/priority/",
        {"priority": "emergency", "reason": "krank"},
    )
    client.post(f"/de/staff/frontdesk/visits/{visit.pk}/queue/", {"team": office["work"].pk})
    visit.refresh_from_db()
    assert visit.priority == "emergency" and visit.team == office["work"]


def test_public_ticket_page_shows_position_and_estimate(client, office, frozen_clock):
    walk_in(office["location"], office["extend"])
    mine = walk_in(office["location"], office["extend"])
    clerk_at(office["family_counter"])
    page = client.get(f"/de/ticket/{mine.token}/").content.decode()
    assert "A002" in page and "Vor Ihnen" in page and "etwa 40 Minuten" in page
    assert client.get("/de/ticket/not-a-token/").status_code == 404


def test_display_page_and_polling_show_calls_without_names(client, office, frozen_clock):
    appointment = AppointmentFactory(
        location=office["location"], service=office["extend"], applicant_name="Amira Haddad"
    )
    visit = services.check_in(appointment=appointment, actor=None)
    services.call_next(user=clerk_at(office["family_counter"]))
    page = client.get("/de/display/hauptstelle/").content.decode()
    assert visit.ticket in page and "Raum 1" in page and "Haddad" not in page
    assert re.search(r'<html lang="de"', page)
    calls = client.get("/de/display/hauptstelle/calls", {"after": 0}).json()["calls"]
    assert [(c["ticket"], c["counter"]) for c in calls] == [("A001", "Raum 1")]
    # Later polls repeat the last half minute (late commits); the page drops known ids.
    again = client.get("/de/display/hauptstelle/calls", {"after": calls[0]["id"]}).json()
    assert [c["id"] for c in again["calls"]] == [calls[0]["id"]]
    frozen_clock.return_value += timedelta(minutes=1)
    assert client.get("/de/display/hauptstelle/calls", {"after": calls[0]["id"]}).json() == {
        "calls": []
    }
    assert client.get("/de/display/nirgendwo/").status_code == 404


def test_event_stream_under_wsgi_answers_once_and_lets_the_browser_reconnect(client, office):
    walk_in(office["location"], office["extend"])
    services.call_next(user=clerk_at(office["family_counter"]))
    response = client.get("/de/display/hauptstelle/events")
    assert response["Content-Type"] == "text/event-stream"
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("retry: 2000") and '"ticket": "A001"' in body
    event_id = re.search(r"^id: (\d+)$", body, re.M).group(1)
    again = client.get("/de/display/hauptstelle/events", HTTP_LAST_EVENT_ID=event_id)
    # Within the last half minute the call is sent again (with its id, so the page drops it).
    assert f"id: {event_id}" in b"".join(again.streaming_content).decode()


def test_ticket_page_follows_the_visit(client, office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    page = client.get(f"/en/ticket/{visit.token}/").content.decode()
    assert "It is your turn" in page and "Please go to Raum 1 now." in page
    services.start(visit.pk, user=clerk)
    services.finish(
        visit.pk, user=clerk, persons_present=1,
        work_items=[services.WorkItemLine(office["extend"], "x")],
    )  # fmt: skip
    page = client.get(f"/de/ticket/{visit.token}/", HTTP_HX_REQUEST="true").content.decode()
    assert "abgeschlossen" in page and "<html" not in page


def test_finishing_a_transferred_visit_from_a_stale_page(client, office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    services.start(visit.pk, user=clerk)
    client.force_login(clerk)
    client.post(f"{CLERK}visits/{visit.pk}/transfer/", {"team": office["work"].pk})
    data = {"persons_present": 1, **work_rows(("x", office["extend"], True))}
    response = client.post(f"{CLERK}visits/{visit.pk}/finish/", data, follow=True)
    assert "nicht bei Ihnen" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == Status.TRANSFERRED and not visit.work_items.exists()


def test_has_left_goes_back_only_to_our_own_pages(desk, office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    response = desk.post(
        f"/de/staff/frontdesk/visits/{visit.pk}/left/", {"next": "https://evil.example/"}
    )
    assert response.url == RECEPTION
    assert Visit.objects.get(pk=visit.pk).status == Status.LEFT


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_steering_forms_with_bad_entries_say_so_and_change_nothing(client, office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    client.force_login(UserFactory(roles=[Role.TEAM_LEAD]))
    base = f"/de/staff/frontdesk/visits/{visit.pk}"
    bad_priority = client.post(f"{base}/priority/", {"priority": "vip"}, follow=True)
    no_team = client.post(f"{base}/queue/", {}, follow=True)
    assert bad_priority.redirect_chain[-1][0].endswith("/staff/frontdesk/overview/")
    assert "gültige Auswahl" in _messages(bad_priority)
    assert "erforderlich" in _messages(no_team)
    visit.refresh_from_db()
    assert (visit.priority, visit.team) == ("walk_in", office["family"])
    assert visit.transitions.count() == 1  # only its issue


def test_steering_a_visit_no_longer_waiting_is_refused_and_changes_nothing(
    client, office, frozen_clock
):
    visit = walk_in(office["location"], office["extend"])
    services.call_next(user=clerk_at(office["family_counter"]))
    client.force_login(UserFactory(roles=[Role.TEAM_LEAD]))
    response = client.post(
        f"/de/staff/frontdesk/visits/{visit.pk}/queue/", {"team": office["work"].pk}, follow=True
    )
    assert "A001" in _messages(response) and "wartet nicht mehr" in _messages(response)
    visit.refresh_from_db()
    assert visit.team == office["family"] and visit.transitions.count() == 2


def test_finish_and_transfer_with_bad_entries_say_so_and_change_nothing(
    client, office, frozen_clock
):
    visit = walk_in(office["location"], office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    services.start(visit.pk, user=clerk)
    client.force_login(clerk)
    no_work = client.post(
        f"{CLERK}visits/{visit.pk}/finish/", {"persons_present": 1, **work_rows()}, follow=True
    )
    no_team = client.post(f"{CLERK}visits/{visit.pk}/transfer/", {}, follow=True)
    assert "Arbeitsvorgang" in _messages(no_work)
    assert "Team" in _messages(no_team)
    visit.refresh_from_db()
    assert visit.status == Status.SERVING and not WorkItem.objects.exists()
