"""Staff intake, the access rule (outside the team concerned), reads logged, replies."""

from datetime import timedelta

import pytest

from tests.accounts.factories import UserFactory
from willkommen.accounts.roles import Role
from willkommen.complaints import deadlines, selectors, services
from willkommen.complaints.models import Complaint, ComplaintRead, Status
from willkommen.complaints.services import Links
from willkommen.core import clock
from willkommen.core.models import AppendOnlyError, OutboxMail
from willkommen.core.states import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def recorded(team, **kwargs):
    kwargs.setdefault("email", "caller@example.org")
    return services.record_for_caller(
        actor=None, category="treatment", message="Unfreundlich am Schalter.",
        language=kwargs.pop("language", "en"), links=Links(), team=team, **kwargs,
    )  # fmt: skip


def test_reception_records_a_call_and_cannot_read_it_afterwards(client, teams):
    reception = UserFactory(roles=[Role.RECEPTION])
    client.force_login(reception)
    response = client.post(
        "/de/staff/complaints/new/",
        {"category": "waiting_time", "message": "Drei Stunden gewartet.", "language": "tr",
         "email": "anrufer@example.org", "team": teams[1].pk},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/de/staff/complaints/new/"
    complaint = Complaint.objects.get()
    assert complaint.channel == "staff" and complaint.recorded_by == reception
    assert complaint.status == Status.ACKNOWLEDGED and OutboxMail.objects.get().language == "tr"
    assert client.get("/de/staff/complaints/").status_code == 403
    assert client.get(f"/de/staff/complaints/{complaint.reference}/").status_code == 403


def test_staff_intake_refuses_an_unknown_reference_and_stores_nothing(client, lead):
    client.force_login(lead)
    response = client.post(
        "/de/staff/complaints/new/",
        {"category": "decision", "message": "x", "language": "de", "reference": "ABH-1999-1"},
    )
    assert response.status_code == 400
    assert "Kein Vorgang und kein Termin" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_complaint_about_a_team_is_handled_outside_it(client, teams, lead, settings):
    own, other = recorded(teams[0]), recorded(teams[1])
    assert list(selectors.visible_complaints(lead)) == [other]
    client.force_login(lead)
    assert client.get(f"/de/staff/complaints/{own.reference}/").status_code == 404
    listing = client.get("/de/staff/complaints/").content.decode()
    assert other.reference in listing and own.reference not in listing
    settings.COMPLAINT_HANDLED_OUTSIDE_TEAM = False
    assert set(selectors.visible_complaints(lead)) == {own, other}
    clerk = UserFactory(roles=[Role.CLERK], member_of=[teams[1]])
    assert not selectors.visible_complaints(clerk).exists()


def test_every_read_is_logged(client, teams, lead):
    complaint = recorded(teams[1])
    client.force_login(lead)
    for _read in range(2):
        page = client.get(f"/de/staff/complaints/{complaint.reference}/")
        assert page.status_code == 200
    assert ComplaintRead.objects.filter(complaint=complaint, user=lead).count() == 2
    assert "Gelesen von" in page.content.decode()


def test_an_answer_from_a_template_goes_out_in_the_persons_language(client, teams, lead, templates):
    complaint = recorded(teams[1], name="Sam")
    answer, _interim = templates
    client.force_login(lead)
    prepared = client.get(f"/de/staff/complaints/{complaint.reference}/?template={answer.pk}")
    assert "Dear Sam, we are sorry." in prepared.content.decode()
    response = client.post(
        f"/de/staff/complaints/{complaint.reference}/reply/",
        {"template": answer.pk, "subject": f"Your complaint {complaint.reference}",
         "body": "Dear Sam, we are sorry. We spoke to the team."},
    )  # fmt: skip
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED and complaint.answered_at is not None
    mail = OutboxMail.objects.order_by("pk").last()
    assert mail.language == "en" and "We spoke to the team." in mail.body
    letter = complaint.letters.get(kind="answer")
    assert letter.body == mail.body and letter.sent_by == lead
    with pytest.raises(AppendOnlyError):
        letter.delete()
    assert deadlines.answered_in_time(complaint) is True


def test_an_interim_reply_stops_the_prompt_without_a_status_change(teams, lead, templates):
    complaint = recorded(teams[1])
    _answer, interim = templates
    services.move(complaint, "start", actor=lead)
    services.reply(complaint, template=interim, subject="s", body="Noch etwas Geduld.", actor=lead)
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS and complaint.interim_sent_at is not None
    assert deadlines.flag(complaint, complaint.due_on) == ""


def test_an_anonymous_complaint_gets_no_reply_and_is_closed_from_work(teams, lead, templates):
    complaint = recorded(teams[1], email="")
    assert complaint.status == Status.RECEIVED and not OutboxMail.objects.exists()
    with pytest.raises(services.ComplaintError):
        services.reply(complaint, template=templates[0], subject="s", body="b", actor=lead)
    with pytest.raises(TransitionNotAllowed):
        services.move(complaint, "close", actor=lead)
    services.move(complaint, "start", actor=lead)
    services.move(complaint, "close", actor=lead, note="keine Kontaktdaten")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.closed_at is not None
    services.move(complaint, "reopen", actor=lead)
    assert [e.action for e in complaint.events.all()] == ["submit", "start", "close", "reopen"]
    assert complaint.events.last().actor == lead


def test_a_refused_step_on_the_page_changes_nothing(client, teams, lead):
    complaint = recorded(teams[1])
    client.force_login(lead)
    response = client.post(
        f"/de/staff/complaints/{complaint.reference}/move/", {"action": "reopen"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ACKNOWLEDGED and complaint.events.count() == 2


def test_deadline_flags_on_the_list(client, teams, lead, monkeypatch, settings):
    settings.COMPLAINT_INTERIM_PROMPT_DAYS = 3
    complaint = recorded(teams[1])
    assert complaint.due_on == clock.office_today() + timedelta(days=14)
    client.force_login(lead)
    real_now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: real_now + timedelta(days=12))
    assert deadlines.flag(complaint) == deadlines.INTERIM_DUE
    page = client.get("/de/staff/complaints/?flag=interim_due").content.decode()
    assert complaint.reference in page and "Zwischennachricht fällig" in page
    monkeypatch.setattr(clock, "now", lambda: real_now + timedelta(days=15))
    assert complaint.reference in client.get("/de/staff/complaints/?flag=overdue").content.decode()
    assert "überfällig" in client.get("/de/staff/complaints/").content.decode()
