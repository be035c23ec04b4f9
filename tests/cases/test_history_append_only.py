import pytest

from tests.cases.factories import make_case_type, open_case
from willkommen.cases.models import StatusChange
from willkommen.core.models import AppendOnlyError

pytestmark = pytest.mark.django_db


def test_status_history_is_written_once_and_only_redacted():
    case = open_case(make_case_type(items=0), send_confirmation=False).case
    entry = case.history.get()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        StatusChange.objects.filter(case=case).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        StatusChange.objects.filter(case=case).delete()
    assert StatusChange.objects.filter(case=case).redact(note="") == 1  # retention's one change
    assert case.history.get().status_id == entry.status_id
