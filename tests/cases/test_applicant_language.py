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
