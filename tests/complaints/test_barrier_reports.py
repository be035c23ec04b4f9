"""Barrier reports of the accessibility statement arrive as complaints "accessibility barrier"."""

import logging

import pytest

from tests.accounts.factories import UserFactory
from willkommen.accessibility import services as accessibility
from willkommen.accessibility.models import BarrierReport
from willkommen.accessibility.signals import barrier_reported
from willkommen.accounts.roles import Role
from willkommen.complaints import receivers, services
from willkommen.complaints.models import Category, Channel, Complaint, Status
from willkommen.core.models import OutboxMail
from willkommen.demo import accessibility as demo

pytestmark = pytest.mark.django_db

REPORT = {
    "page": "/de/appointments/",
    "problem": "Der Kalender lässt sich mit der Tastatur nicht bedienen.",
    "email": "leser@example.org",
}


def test_a_report_from_the_form_becomes_one_complaint(client, django_capture_on_commit_callbacks):
    demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/barriere-melden/", REPORT)
    assert response.status_code == 302
    report = BarrierReport.objects.get()
    complaint = Complaint.objects.get()
    assert complaint.barrier_report == report and complaint.channel == Channel.BARRIER
    assert complaint.category == Category.ACCESSIBILITY and complaint.team is None
    assert complaint.message == REPORT["problem"] and complaint.subject == REPORT["page"]
    assert complaint.language == "en" and complaint.received_at == report.created_at
    # The barrier form promises no mail (and has no per-e-mail limit): nothing goes to the
    # reporter until staff answer; the address is there to answer to.
    assert complaint.status == Status.RECEIVED and complaint.can_be_answered
    assert not OutboxMail.objects.filter(to="leser@example.org").exists()
    # The office's notice to the feedback contact goes out as before.
    assert OutboxMail.objects.filter(to="barrierefreiheit@abh.example.de").count() == 1
    client.force_login(UserFactory(roles=[Role.ADMIN]))
    page = client.get(f"/de/staff/complaints/{complaint.reference}/").content.decode()
    assert f"Nr. {report.pk} (Erklärung zur Barrierefreiheit)" in page
    assert "Barrieremeldung (Erklärung zur Barrierefreiheit)" in page


def test_a_report_announced_twice_is_one_complaint(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = accessibility.submit_report(
            page="Startseite", problem="Kontrast zu schwach", name="", email="", phone="",
            language="de",
        )  # fmt: skip
    first = Complaint.objects.get()
    assert first.status == Status.RECEIVED and not first.can_be_answered  # anonymous
    barrier_reported.send(sender=BarrierReport, report=report)
    assert services.from_barrier_report(report) == first
    assert Complaint.objects.count() == 1 and first.events.count() == 1


def test_the_complaint_is_made_only_after_the_report_is_committed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        accessibility.submit_report(
            page="Formular", problem="Fehlermeldung nicht vorgelesen", name="", email="",
            phone="", language="de",
        )  # fmt: skip
        assert not Complaint.objects.exists()
    assert len(callbacks) == 1 and not Complaint.objects.exists()


def test_without_complaints_the_report_is_still_stored(django_capture_on_commit_callbacks):
    """Complaints not installed (no receiver): the report and its notice as ever."""
    demo.load()
    assert barrier_reported.disconnect(dispatch_uid="complaints.barrier")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            accessibility.submit_report(**REPORT, name="", phone="", language="de")
    finally:
        barrier_reported.connect(receivers.barrier_reported, dispatch_uid="complaints.barrier")
    assert BarrierReport.objects.get().problem == REPORT["problem"]
    assert OutboxMail.objects.get().to == "barrierefreiheit@abh.example.de"
    assert not Complaint.objects.exists()


def test_a_failing_receiver_does_not_take_the_report_back(
    django_capture_on_commit_callbacks, caplog
):
    def broken(sender, report, **kwargs):
        raise RuntimeError("complaints are down")

    barrier_reported.connect(broken, dispatch_uid="test.broken")
    try:
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            accessibility.submit_report(**REPORT, name="", phone="", language="de")
    finally:
        barrier_reported.disconnect(dispatch_uid="test.broken")
    assert BarrierReport.objects.count() == 1
    assert Complaint.objects.count() == 1  # the other receiver still ran
    assert "complaints are down" in caplog.text


def test_retention_blanks_the_complaint_with_its_report(
    django_capture_on_commit_callbacks, templates, settings, monkeypatch
):
    from datetime import timedelta

    from willkommen.accessibility.models import ReportAction
    from willkommen.core import clock

    with django_capture_on_commit_callbacks(execute=True):
        report = accessibility.submit_report(**REPORT, name="Lee", phone="0251 1", language="en")
    complaint = Complaint.objects.get()
    services.move(complaint, "start", actor=None)
    services.reply(
        complaint, template=templates[0], actor=None, subject="Your complaint",
        body="Dear Lee, the calendar is fixed.",
    )  # fmt: skip
    for action in (ReportAction.START, ReportAction.CLOSE):
        report = accessibility.move_report(report, action, actor=None)
    real_now = clock.now()
    days = settings.ACCESSIBILITY_REPORT_RETENTION_DAYS + 1
    monkeypatch.setattr(clock, "now", lambda: real_now + timedelta(days=days))
    OutboxMail.objects.update(status=OutboxMail.Status.SENT)
    assert accessibility.anonymise_closed_reports() == 1
    complaint.refresh_from_db()
    assert (complaint.name, complaint.email, complaint.phone, complaint.message) == ("",) * 4
    letter = complaint.letters.get()
    assert letter.body == "" and letter.to == "" and letter.kind == "answer"
    assert not OutboxMail.objects.exists()
    # What the figures need stays.
    assert complaint.category == Category.ACCESSIBILITY and complaint.answered_at is not None
