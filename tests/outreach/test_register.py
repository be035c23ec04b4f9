"""The expiry register (staff): who sees what, what has happened, pauses; the KPIs."""

from datetime import timedelta

import pytest

from tests.accounts.factories import TeamFactory
from tests.booking.factories import AppointmentFactory
from tests.cases.factories import staff
from tests.outreach.conftest import extension_data
from willkommen.accounts.roles import Role
from willkommen.cases import services as case_services
from willkommen.core import clock
from willkommen.outreach import links, selectors, services
from willkommen.outreach.models import InvitationPause

pytestmark = pytest.mark.django_db


def test_clerks_see_their_teams_permits_with_what_happened(client, make_record):
    invited = make_record(days=80)
    booked = make_record(days=40, email="mehmet@example.org", given_name="Mehmet")
    later = make_record(days=300, given_name="Olena")
    services.send_due_invitations()
    AppointmentFactory(service=selectors.extension_service(), applicant_email="mehmet@example.org")
    client.force_login(staff(invited.team))
    page = client.get("/de/staff/expiry-register/")
    text = page.content.decode()
    assert page.status_code == 200
    assert invited.reference in text and booked.reference in text
    assert later.reference not in text  # beyond the 16 weeks looked at
    assert "einmal eingeladen" in text and "Termin gebucht" in text
    assert "§ 16b AufenthG" in text
    wider = client.get("/de/staff/expiry-register/?weeks=52").content.decode()
    assert later.reference in wider


def test_other_teams_and_other_roles_see_nothing(client, make_record):
    case = make_record(days=80)
    client.force_login(staff(TeamFactory()))
    assert case.reference not in client.get("/de/staff/expiry-register/").content.decode()
    client.force_login(staff(case.team, role=Role.RECEPTION))
    assert client.get("/de/staff/expiry-register/").status_code == 403
    client.logout()
    assert client.get("/de/staff/expiry-register/").status_code == 302


def test_an_application_shows_and_its_case_is_not_listed_twice(client, make_record):
    case = make_record(days=60)
    path = links.extension_url(case, "de").removeprefix("http://127.0.0.1:8000")
    client.post(path, extension_data(selectors.extension_service()))
    opened = case.extension_applications.get().opened_case
    user = staff(case.team)
    user.teams.add(opened.team)
    client.force_login(user)
    text = client.get("/de/staff/expiry-register/").content.decode()
    assert "online vor Ablauf beantragt" in text and opened.reference in text
    rows = selectors.register(user, team_id=None, weeks=16, today=clock.office_today())
    assert [row.pk for row in rows] == [case.pk]


def test_pausing_with_a_reason_is_shown_and_stops_invitations(client, make_record):
    case = make_record(days=80)
    client.force_login(staff(case.team, role=Role.TEAM_LEAD))
    assert client.post(f"/de/staff/expiry-register/{case.reference}/pause/", {}).status_code == 302
    assert not InvitationPause.objects.exists()
    client.post(f"/de/staff/expiry-register/{case.reference}/pause/", {"reason": "Klage anhängig"})
    text = client.get("/de/staff/expiry-register/").content.decode()
    assert "pausiert: Klage anhängig" in text
    assert services.send_due_invitations() == 0
    client.post(f"/de/staff/expiry-register/{case.reference}/resume/")
    assert InvitationPause.objects.get().lifted_at is not None
    assert services.send_due_invitations() == 1


def test_pausing_another_teams_case_is_not_found(client, make_record):
    case = make_record(days=80)
    client.force_login(staff(TeamFactory()))
    response = client.post(f"/de/staff/expiry-register/{case.reference}/pause/", {"reason": "x"})
    assert response.status_code == 404 and not InvitationPause.objects.exists()


def test_kpis_count_invited_and_applications_before_and_after_expiry(client, make_record):
    in_time = make_record(days=60)
    late = make_record(days=-2, email="late@example.org")
    make_record(days=30, email="third@example.org")
    services.send_due_invitations()
    service = selectors.extension_service()
    for case in (in_time, late):
        path = links.extension_url(case, "de").removeprefix("http://127.0.0.1:8000")
        assert client.post(path, extension_data(service)).status_code == 302
    today = clock.office_today()
    figures = selectors.monthly_figures(today - timedelta(days=40), today)
    assert len(figures) == 1
    month = figures[0]
    assert month.month == today.replace(day=1)
    assert (month.invited, month.applied_in_time, month.applied_late) == (2, 1, 1)
    assert month.share_in_time == 0.5


def test_a_certificate_on_the_opened_case_shows(client, make_record):
    case = make_record(days=60)
    path = links.extension_url(case, "de").removeprefix("http://127.0.0.1:8000")
    client.post(path, extension_data(selectors.extension_service()))
    opened = case.extension_applications.get().opened_case
    today = clock.office_today()
    case_services.issue_interim_certificate(
        opened, number="F123", issued_on=today, valid_until=today + timedelta(days=90), actor=None
    )
    user = staff(case.team)
    rows = selectors.register(user, team_id=case.team_id, weeks=16, today=today)
    assert rows.get().certificate_issued


def test_a_case_without_email_is_not_booked_by_appointments_without_one(make_record):
    case = make_record(days=40, email="")
    AppointmentFactory(service=selectors.extension_service(), applicant_email="")
    rows = selectors.register(staff(case.team), team_id=None, weeks=16, today=clock.office_today())
    assert not rows.get().booked
