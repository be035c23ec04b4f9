"""A callback and a poll (or two workers) at the same moment: one case, one event."""

import pytest

from tests.cases.test_concurrency import run_together
from willkommen.cases.models import Case
from willkommen.intake import services
from willkommen.intake.models import Submission
from willkommen.intake.states import SubmissionState

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_announce_and_take_open_one_case(double, destination, case_type, submit):
    sent = submit()

    def deliver(_index):
        services.announce(destination, sent.submission_id, sent.case_id)
        submission = Submission.objects.get(submission_id=sent.submission_id)
        return services.take(submission, services.api_for(destination))

    results = run_together(4, deliver)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert [r for r in results if r] == [SubmissionState.ACCEPTED]  # one took it
    assert Submission.objects.count() == 1 and Case.objects.count() == 1
    assert len(double.received_events) == 1
