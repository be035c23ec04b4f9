"""Invitations: lead times, at most once, stopping after applying or booking, pauses."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command

from willkommen.core import clock
from willkommen.core.models import OutboxMail
from willkommen.outreach import links, services
from willkommen.outreach.errors import OutreachError
from willkommen.outreach.models import Invitation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("days", "weeks"),
    [(84, 12), (60, 12), (56, 8), (50, 8), (28, 4), (3, 4), (0, 4), (85, None), (-1, None)],
)
def test_the_nearest_lead_time_reached_is_sent(make_record, days, weeks):
    case = make_record(days=days)
    sent = services.send_due_invitations()
    invitations = list(Invitation.objects.filter(case=case))
    if weeks is None:
        assert sent == 0 and invitations == []
        return
    assert sent == 1
    assert [i.lead_weeks for i in invitations] == [weeks]
    mail = invitations[0].mail
    assert mail.to == "amina@example.org" and mail.language == "de"
    assert "läuft am" in mail.subject
    token = re.search(r"/de/extension/([^/\s]+)/", mail.body).group(1)
    assert links.read_token(token) == (case.pk, case.permit_expires_on)
    assert "?service=" in mail.body  # booking with the extension service chosen


def test_lead_times_come_from_the_setting(make_record, settings):
    settings.OUTREACH_LEAD_WEEKS = [6, 2]
    case = make_record(days=50)
    assert services.send_due_invitations() == 0
    case.permit_expires_on = clock.office_today() + timedelta(days=40)
    case.save()
    services.send_due_invitations()
    assert list(Invitation.objects.values_list("lead_weeks", flat=True)) == [6]


def test_a_second_sweep_sends_nothing_again(make_record):
    make_record(days=80)
    assert services.send_due_invitations() == 1
    assert services.send_due_invitations() == 0
    call_command("send_invitations")
    assert Invitation.objects.count() == 1 and OutboxMail.objects.count() == 1


def test_each_lead_time_once_as_the_permit_comes_closer(make_record):
    case = make_record(days=80)
    services.send_due_invitations()
    today = clock.office_today()
    for days_later in (30, 31, 60, 70):  # 8 weeks, again, 4 weeks, again
        services.send_due_invitations(today + timedelta(days=days_later))
    assert sorted(Invitation.objects.filter(case=case).values_list("lead_weeks", flat=True)) == [
        4,
        8,
        12,
    ]


def test_the_unique_constraint_holds_against_a_concurrent_sweep(make_record):
    """A sweep that did not see the other's row still cannot insert a second one."""
    case = make_record(days=80)
    assert services._invite(case, 12, None)
    assert not services._invite(case, 12, None)
    assert Invitation.objects.filter(case=case).count() == 1


def test_the_invitation_is_in_the_applicants_language(make_record):
    make_record(days=80, language="tr")
    services.send_due_invitations()
    mail = Invitation.objects.get().mail
    assert mail.language == "tr" and "/tr/extension/" in mail.body


def test_paused_persons_get_none_until_resumed(make_record, django_user_model):
    case = make_record(days=80)
    services.pause_invitations(case, reason="Klageverfahren", actor=None)
    assert services.send_due_invitations() == 0
    with pytest.raises(OutreachError):
        services.pause_invitations(case, reason="again", actor=None)
    with pytest.raises(OutreachError):
        services.pause_invitations(make_record(days=200), reason="  ", actor=None)
    services.lift_pause(case, actor=None)
    assert services.send_due_invitations() == 1
    with pytest.raises(OutreachError):
        services.lift_pause(case, actor=None)


def test_no_invitation_after_booking(make_record):
    from tests.booking.factories import AppointmentFactory
    from willkommen.outreach.selectors import extension_service

    make_record(days=80)
    AppointmentFactory(service=extension_service(), applicant_email="AMINA@example.org")
    assert services.send_due_invitations() == 0


def test_no_invitation_without_an_email(make_record):
    make_record(days=80, email="")
    assert services.send_due_invitations() == 0
