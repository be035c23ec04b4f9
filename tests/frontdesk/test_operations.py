"""Commands, demo data, the gong file and the admin of the front desk."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from tests.accounts.factories import UserFactory
from tests.booking.factories import AppointmentFactory
from tests.frontdesk.factories import walk_in
from willkommen.accounts.roles import Role
from willkommen.booking.models import Status as AppointmentStatus
from willkommen.frontdesk.gong import GONG_FILE, gong_wav
from willkommen.frontdesk.models import TicketSeries, Visit

pytestmark = pytest.mark.django_db


def test_the_committed_gong_is_the_synthesised_one():
    sound = gong_wav()
    assert sound[:4] == b"RIFF" and sound[8:12] == b"WAVE"
    assert GONG_FILE.read_bytes() == sound


def test_demo_data_is_idempotent(demo_catalog, capsys):
    call_command("load_demo_frontdesk")
    series = dict(TicketSeries.objects.values_list("category__slug", "prefix"))
    visits = Visit.objects.count()
    assert series["aufenthalt"] == "A" and series["einbuergerung"] == "E"
    assert visits == 8  # four walk-ins at each of the two demo locations
    call_command("load_demo_frontdesk")
    assert Visit.objects.count() == visits and TicketSeries.objects.count() == len(series)


def test_mark_no_shows_command(office, frozen_clock, capsys):
    appointment = AppointmentFactory(
        location=office["location"], service=office["extend"],
        starts_at=frozen_clock.return_value - timedelta(hours=1),
    )  # fmt: skip
    call_command("mark_no_shows")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert "1" in capsys.readouterr().out


def test_admin_shows_visits_read_only(client, office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    client.force_login(UserFactory(roles=[Role.ADMIN], is_staff=True, is_superuser=True))
    assert client.get("/admin/frontdesk/visit/").status_code == 200
    page = client.get(f"/admin/frontdesk/visit/{visit.pk}/change/")
    assert page.status_code == 200 and "A001" in page.content.decode()
    assert client.get("/admin/frontdesk/visit/add/").status_code == 403
    assert client.get("/admin/frontdesk/ticketseries/add/").status_code == 200
