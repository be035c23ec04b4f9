"""A case speaks the applicant's language (issue 18): its mails say so, staff see it."""

import pytest

from tests.cases.factories import make_case_type, open_case, staff
from willkommen.core.models import OutboxMail

pytestmark = pytest.mark.django_db


def test_the_confirmation_goes_out_in_the_case_language():
    opened = open_case(make_case_type(), language="ru-RU")
    assert opened.case.language == "ru"
    mail = OutboxMail.objects.get(to="amina@example.org")
    assert mail.language == "ru"


def test_an_unknown_language_makes_a_german_case():
    assert open_case(make_case_type(), language="xx").case.language == "de"


def test_staff_see_the_language_in_the_list_and_the_file(client):
    case_type = make_case_type()
    case = open_case(case_type, language="tr").case
    client.force_login(staff(case.team))
    listing = client.get("/de/staff/cases/").content.decode()
    detail = client.get(f"/de/staff/cases/{case.reference}/").content.decode()
    for page in (listing, detail):
        assert '<span lang="tr">TR</span> · Türkisch' in page


def test_a_clerk_changes_the_case_language_on_the_case_page(client):
    case = open_case(make_case_type(), language="de").case
    client.force_login(staff(case.team))
    url = f"/de/staff/cases/{case.reference}/classification/"
    form = {"urgency": case.urgency, "difficulty": case.difficulty, "reason": "bittet darum"}
    refused = client.post(url, {**form, "language": "it"})
    assert refused.status_code == 400
    case.refresh_from_db()
    assert case.language == "de" and not case.classification_changes.exists()
    changed = client.post(url, {**form, "language": "ar"})
    assert changed.status_code == 302
    case.refresh_from_db()
    assert case.language == "ar"
    assert case.classification_changes.get().field == "language"
    page = client.get(f"/de/staff/cases/{case.reference}/").content.decode()
    assert '<option value="ar" selected>' in page
