"""The barrier form: stored, mailed to the feedback contact, protected, worked by staff."""

import altcha
import pytest

from tests.accounts.factories import UserFactory
from willkommen.accessibility import services
from willkommen.accessibility.models import BarrierReport, BarrierReportEvent, ReportStatus
from willkommen.accessibility.states import TABLE
from willkommen.accounts.roles import Role
from willkommen.core.models import AppendOnlyError, OutboxMail
from willkommen.core.states import TransitionNotAllowed
from willkommen.demo import accessibility as demo

pytestmark = pytest.mark.django_db

REPORT = {
    "page": "/de/appointments/",
    "problem": "Der Kalender lässt sich mit der Tastatur nicht bedienen.",
    "email": "leser@example.org",
}


def solved_payload(client) -> str:
    challenge = altcha.Challenge.from_dict(client.get("/api/v1/altcha/challenge").json())
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


def test_a_report_is_stored_and_reaches_the_feedback_contact(client):
    demo.load()
    response = client.post("/de/barriere-melden/", REPORT)
    assert response.status_code == 302 and response["Location"] == "/de/barriere-melden/danke/"
    report = BarrierReport.objects.get()
    assert report.status == ReportStatus.NEW and report.language == "de"
    assert report.events.get().to_status == ReportStatus.NEW
    mail = OutboxMail.objects.get()
    assert mail.to == "barrierefreiheit@abh.example.de"
    assert REPORT["problem"] in mail.body and "leser@example.org" in mail.body
    assert "Seite: /de/appointments/" in mail.body  # for the office: in German
    assert (
        "Ihre Meldung ist bei uns angekommen" in client.get(response["Location"]).content.decode()
    )


def test_contact_details_are_optional(client):
    response = client.post("/de/barriere-melden/", {"page": "Startseite", "problem": "Kontrast"})
    assert response.status_code == 302
    assert BarrierReport.objects.get().email == ""


def test_bad_input_is_refused_in_the_users_language_and_stores_nothing(client):
    response = client.post("/fr/barriere-melden/", {"page": "", "problem": "", "email": "kein"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in body
    assert "Saisissez une adresse de courriel valide." in body
    assert not BarrierReport.objects.exists() and not OutboxMail.objects.exists()


def test_the_page_is_prefilled_from_the_page_the_reporter_came_from(client):
    body = client.get("/de/barriere-melden/", HTTP_REFERER="http://testserver/de/status/").content
    assert b'value="/de/status/"' in body
    foreign = client.get("/de/barriere-melden/", HTTP_REFERER="https://evil.example/x").content
    assert b"evil.example" not in foreign


def test_without_a_solved_proof_of_work_nothing_is_stored(client, settings):
    settings.ALTCHA_ENABLED = True
    assert "<altcha-widget" in client.get("/de/barriere-melden/").content.decode()
    refused = client.post("/de/barriere-melden/", REPORT)
    assert refused.status_code == 400
    assert "automatische Prüfung" in refused.content.decode()
    assert not BarrierReport.objects.exists()
    accepted = client.post("/de/barriere-melden/", {**REPORT, "altcha": solved_payload(client)})
    assert accepted.status_code == 302 and BarrierReport.objects.count() == 1


def test_the_form_is_rate_limited_per_address(client, settings):
    settings.PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    for _attempt in range(2):
        assert client.post("/de/barriere-melden/", REPORT).status_code == 302
    refused = client.post("/de/barriere-melden/", REPORT)
    assert refused.status_code == 429 and "Retry-After" in refused
    assert BarrierReport.objects.count() == 2


def submitted():
    return services.submit_report(
        page="/de/", problem="x", name="", email="", phone="", language="de"
    )


@pytest.mark.parametrize(("status", "action"), list(TABLE.edges))
def test_every_edge_of_the_table_through_the_service(status, action):
    report = submitted()
    staff = UserFactory(roles=[Role.ADMIN], is_staff=True)
    BarrierReport.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    services.move_report(report, action, actor=staff)
    report.refresh_from_db()
    assert report.status == TABLE.target(status, action)
    event = report.events.last()
    assert (event.from_status, event.to_status, event.actor) == (status, report.status, staff)


def test_an_edge_not_listed_changes_nothing():
    report = submitted()
    with pytest.raises(TransitionNotAllowed):
        services.move_report(report, "reopen", actor=None)  # new → reopen is not an edge
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW and report.events.count() == 1
    with pytest.raises(AppendOnlyError):
        BarrierReportEvent.objects.filter(report=report).delete()


def test_staff_with_the_admin_role_see_and_move_reports_in_the_admin(client):
    report = submitted()
    client.force_login(UserFactory(roles=[Role.CLERK], is_staff=False))
    assert client.get("/admin/accessibility/barrierreport/").status_code == 302
    client.force_login(UserFactory(roles=[Role.ADMIN], is_staff=True))
    listing = client.get("/admin/accessibility/barrierreport/")
    assert listing.status_code == 200 and "/de/" in listing.content.decode()
    client.post(
        "/admin/accessibility/barrierreport/",
        {"action": "start", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS


def test_closed_reports_lose_contact_and_text_after_the_retention_period(monkeypatch, settings):
    from datetime import timedelta

    from django.core.management import call_command

    from willkommen.core import clock

    demo.load()
    settings.ACCESSIBILITY_REPORT_RETENTION_DAYS = 30
    staff = UserFactory(roles=[Role.ADMIN])
    start = clock.now()
    fields = {"page": "/de/", "name": "Lea", "email": "lea@example.org", "phone": "0151"}
    closed_long_ago = services.submit_report(problem="Ich bin blind; …", language="de", **fields)
    closed_lately = services.submit_report(problem="Kontrast", language="de", **fields)
    still_open = services.submit_report(problem="Tastatur", language="de", **fields)
    OutboxMail.objects.update(status=OutboxMail.Status.SENT)
    for action in ("start", "answer", "close"):
        services.move_report(closed_long_ago, action, actor=staff)
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(days=20))
    for action in ("start", "answer", "close"):
        services.move_report(closed_lately, action, actor=staff)

    monkeypatch.setattr(clock, "now", lambda: start + timedelta(days=31))
    call_command("apply_report_retention")

    gone = BarrierReport.objects.get(pk=closed_long_ago.pk)
    assert (gone.name, gone.email, gone.phone, gone.problem) == ("", "", "", "")
    assert gone.anonymised_at == start + timedelta(days=31)
    assert gone.page == "/de/" and gone.events.count() == 4  # the figures stay
    assert not OutboxMail.objects.filter(dedupe_key__startswith=f"barrier-report:{gone.pk}:")
    for kept in (closed_lately, still_open):
        kept.refresh_from_db()
        assert kept.email == "lea@example.org" and kept.problem and kept.anonymised_at is None
    assert OutboxMail.objects.filter(dedupe_key__startswith="barrier-report:").count() == 2
    assert services.anonymise_closed_reports() == 0  # nothing twice
