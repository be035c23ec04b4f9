"""The staff start page warns of FIT-Connect submissions waiting too long."""

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TeamFactory, UserFactory
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import log_in
from willkommen.accounts.roles import Role
from willkommen.core import clock
from willkommen.intake.models import Destination, Submission

pytestmark = pytest.mark.django_db(transaction=True)


def test_team_lead_sees_the_waiting_submissions_warning(live_server, page):
    destination = Destination.objects.create(
        name="Zustellpunkt",
        destination_id=uuid.uuid4(),
        api_base_url="https://api.example.org",
        token_url="https://auth.example.org/token",
        client_id="c",
    )
    Submission.objects.create(
        destination=destination,
        submission_id=uuid.uuid4(),
        fitconnect_case_id=uuid.uuid4(),
        announced_at=clock.now() - timedelta(days=4),
    )
    UserFactory(username="lena", roles=[Role.TEAM_LEAD], member_of=[TeamFactory(name="Familie")])
    log_in(page, live_server.url, "lena")
    # Rendered by the shared alert include, which marks a warning as an alert.
    warning = page.get_by_role("alert").filter(has_text="FIT-Connect")
    expect(warning).to_contain_text("1 Online-Antrag (FIT-Connect) wartet seit mehr als 3 Tagen")
    assert_accessible(page, "(staff start page with a FIT-Connect warning)")
