"""The demo complaints: a dozen, several languages and states, loaded once."""

import pytest
from django.core.management import call_command

from tests.accounts.factories import TeamFactory
from willkommen.complaints.models import Complaint, ComplaintLetter, Status
from willkommen.demo import complaints

pytestmark = pytest.mark.django_db


def test_a_dozen_complaints_in_several_languages_and_states():
    TeamFactory(name="Arbeit"), TeamFactory(name="Familie")
    call_command("load_demo_complaints")
    assert Complaint.objects.count() == 12
    assert Complaint.objects.values("language").distinct().count() >= 6
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert {Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED} <= statuses
    assert ComplaintLetter.objects.filter(kind="answer").count() == 3
    assert ComplaintLetter.objects.filter(kind="interim").count() == 1
    assert Complaint.objects.filter(email="").count() == 1  # one anonymous
    assert complaints.load() == "already loaded" and Complaint.objects.count() == 12
