"""Commands, demo data, the gong file and the admin of the front desk."""

from datetime import timedelta
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.core.management import call_command

from tests.accounts.factories import UserFactory
from tests.booking.factories import AppointmentFactory
from tests.frontdesk.factories import clerk_at, walk_in
from willkommen.accounts.roles import Role
from willkommen.booking.models import Status as AppointmentStatus
from willkommen.frontdesk import services
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


def catalogue(app_config) -> dict:
    path = Path(app_config.path) / "locale" / "de" / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return {}
    return {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path)) if e.msgstr}


def test_frontdesk_catalogue_changes_no_later_apps_texts():
    """Django merges the catalogues, an app listed earlier winning a shared msgid: ours
    must not change the text of an app listed after frontdesk."""
    configs = list(apps.get_app_configs())
    position = [c.label for c in configs].index("frontdesk")
    ours = catalogue(configs[position])
    clashes = [
        (config.label, key, text, ours[key])
        for config in configs[position + 1 :]
        for key, text in catalogue(config).items()
        if key in ours and ours[key] != text
    ]
    assert clashes == []


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FRONTDESK_PRIORITY_ORDER", "emergency,walk_in", "FRONTDESK_PRIORITY_ORDER must list"),
        ("FRONTDESK_DISPLAY_POLL_SECONDS", "0", "FRONTDESK_DISPLAY_POLL_SECONDS must be"),
    ],
)
def test_bad_frontdesk_settings_stop_the_start(name, value, message):
    from tests.core.test_settings import manage

    result = manage("check", DEBUG="true", **{name: value})
    assert result.returncode != 0 and message in result.stderr


def test_the_priority_order_is_configurable(office, frozen_clock, settings):
    settings.FRONTDESK_PRIORITY_ORDER = ["appointment", "emergency", "walk_in"]
    loc = office["location"]
    urgent = walk_in(loc, office["extend"], emergency=True, emergency_reason="Flug")
    appointment = AppointmentFactory(
        location=loc, service=office["extend"], starts_at=frozen_clock.return_value
    )
    booked = services.check_in(appointment=appointment, actor=None)
    session = services.current_session(clerk_at(office["family_counter"]))
    assert list(services.queue_for(session)) == [booked, urgent]
