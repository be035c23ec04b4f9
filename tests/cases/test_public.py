"""Applicant status page, the online forms and the applicant API."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts.factories import TeamFactory
from tests.cases.factories import close_ago, make_case_type, open_case, pdf_bytes
from willkommen.cases.models import Case, ContactRequest, ContactTopic, Document
from willkommen.core.models import OutboxMail

pytestmark = pytest.mark.django_db

LOOKUP = "/de/status/"


@pytest.fixture
def opened():
    return open_case(make_case_type())


def unlock(client, opened):
    return client.post(LOOKUP, {"reference": opened.case.reference, "code": opened.access_code})


def test_reference_and_code_open_the_status_page(client, opened):
    response = unlock(client, opened)
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Text eingegangen" in html  # the applicant text, not the internal name
    assert "Eingegangen" not in html.replace("Text eingegangen", "")
    assert 'id="missing"' in html
    assert opened.case.access_code_hash not in html


@pytest.mark.parametrize(
    "change",
    [
        lambda ref, code: (ref, "AAAA-BBBB-CCCC-DDDD"),
        lambda ref, code: ("ABH-1999-999999", code),
        lambda ref, code: (ref, code[:-1]),
    ],
)
def test_every_failure_gives_the_same_message(client, opened, change):
    reference, code = change(opened.case.reference, opened.access_code)
    response = client.post(LOOKUP, {"reference": reference, "code": code})
    assert response.status_code == 400
    assert "Wir konnten keinen Vorgang" in response.content.decode() or (
        "We could not find a case" in response.content.decode()
    )
    assert client.get(f"/de/status/{opened.case.reference}/").status_code == 302


def test_the_mail_link_names_the_reference_and_a_code_in_a_url_unlocks_nothing(client, opened):
    confirmation = OutboxMail.objects.get(dedupe_key=f"case:{opened.case.pk}:confirmation")
    links = re.findall(r"https?://\S+", confirmation.body)
    assert links and all(opened.access_code not in link for link in links)
    assert all("code" not in link for link in links)
    # The link fills in the reference; the code is typed.
    page = client.get(LOOKUP, {"reference": opened.case.reference})
    assert page.status_code == 200
    assert f'value="{opened.case.reference}"' in page.content.decode()
    # A code in the query string (an old link, a hand-made one) is not taken from the URL.
    response = client.get(LOOKUP, {"reference": opened.case.reference, "code": opened.access_code})
    assert response.status_code == 200
    assert client.get(f"/de/status/{opened.case.reference}/").status_code == 302


def attempt(client, reference, code, address):
    return client.post(LOOKUP, {"reference": reference, "code": code}, REMOTE_ADDR=address)


def test_a_strangers_guesses_never_lock_the_applicant_out(client, opened, settings):
    settings.CASE_STATUS_ATTEMPTS_PER_HOUR = 3
    settings.CASE_STATUS_ATTEMPTS_PER_REFERENCE_PER_HOUR = 3
    for _attempt in range(3):
        wrong = attempt(client, opened.case.reference, "AAAA-BBBB-CCCC-DDDD", "203.0.113.9")
        assert wrong.status_code == 400
    blocked = attempt(client, opened.case.reference, opened.access_code, "203.0.113.9")
    assert blocked.status_code == 429  # the guesser's address is out of attempts
    assert int(blocked["Retry-After"]) > 0
    # The applicant, from their own address, still gets in.
    assert (
        attempt(client, opened.case.reference, opened.access_code, "198.51.100.7").status_code
        == 302
    )


def test_walking_consecutive_references_gains_no_attempts(client, opened, settings):
    """References are consecutive; the limit per address makes their order irrelevant."""
    settings.CASE_STATUS_ATTEMPTS_PER_HOUR = 4
    case_type = opened.case.case_type
    others = [open_case(case_type) for _ in range(5)]
    walked = [o.case.reference for o in others]
    assert walked == sorted(walked)  # consecutive numbers, one after the other
    for reference in walked[:4]:  # one guess each on the next references in order
        assert attempt(client, reference, "AAAA-BBBB-CCCC-DDDD", "203.0.113.9").status_code == 400
    # The fifth reference has never been tried, and is refused all the same.
    refused = attempt(client, walked[4], others[4].access_code, "203.0.113.9")
    assert refused.status_code == 429
    # Another address is not affected, for any of them.
    assert attempt(client, walked[4], others[4].access_code, "198.51.100.7").status_code == 302


def test_the_api_counts_per_address_too(client, opened, settings):
    settings.CASE_STATUS_ATTEMPTS_PER_HOUR = 2
    body = {"reference": opened.case.reference, "code": "AAAA-BBBB-CCCC-DDDD"}
    for _attempt in range(2):
        response = client.post(
            "/api/v1/cases/status", body, content_type="application/json", REMOTE_ADDR="203.0.113.9"
        )
        assert response.status_code == 404
    right = {"reference": opened.case.reference, "code": opened.access_code}
    assert (
        client.post(
            "/api/v1/cases/status",
            right,
            content_type="application/json",
            REMOTE_ADDR="203.0.113.9",
        ).status_code
        == 429
    )
    assert (
        client.post(
            "/api/v1/cases/status",
            right,
            content_type="application/json",
            REMOTE_ADDR="198.51.100.7",
        ).status_code
        == 200
    )


def test_an_unlocked_case_does_not_unlock_another(client, opened):
    other = open_case(make_case_type())
    unlock(client, opened)
    assert client.get(f"/de/status/{other.case.reference}/").status_code == 302


def test_applicant_uploads_a_missing_document(client, opened):
    unlock(client, opened)
    requirement = opened.case.requirements.first()
    response = client.post(
        f"/de/status/{opened.case.reference}/",
        {"requirement": requirement.pk, "file": SimpleUploadedFile("pass.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    document = Document.objects.get(case=opened.case)
    assert document.by_applicant and document.uploaded_by is None
    bad = client.post(
        f"/de/status/{opened.case.reference}/",
        {"requirement": requirement.pk, "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")},
    )
    assert bad.status_code == 400
    assert Document.objects.filter(case=opened.case).count() == 1


def test_status_page_shows_a_forecast_range_from_closed_cases(client, opened, settings):
    settings.CASE_FORECAST_MIN_SAMPLE = 3
    case_type = opened.case.case_type
    for days in (14, 21, 28, 35):
        close_ago(open_case(case_type).case, days)
    unlock(client, opened)
    html = client.get(f"/de/status/{opened.case.reference}/").content.decode()
    assert 'id="forecast"' in html
    assert "3 bis 5 Wochen" in html or "3 to 5 weeks" in html


def test_api_status_with_reference_and_code(client, opened):
    response = client.post(
        "/api/v1/cases/status?lang=en",
        {"reference": opened.case.reference, "code": opened.access_code},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == opened.case.reference
    assert body["timeline"][0]["text"] == "Text eingegangen (en)"
    assert len(body["missing_documents"]) == 2
    wrong = client.post(
        "/api/v1/cases/status",
        {"reference": opened.case.reference, "code": "nope"},
        content_type="application/json",
    )
    assert wrong.status_code == 404
    assert wrong.json()["detail"] == "No case with this reference and access code."


# --- forms that open cases -----------------------------------------------------


@pytest.fixture
def demo(demo_catalog):
    from django.core.management import call_command

    from willkommen.cases.casetypes import load_case_types_file

    load_case_types_file()
    return call_command


def skilled_worker_data(service, **files):
    data = {
        "organisation": "Muster GmbH", "contact_name": "Eva Muster", "email": "hr@muster.example",
        "phone": "", "address": "Hauptstr. 1, 91052 Erlangen", "given_name": "Rahul",
        "family_name": "Sharma", "date_of_birth": "1994-05-01", "nationality": "indisch",
        "title": "Elektroniker", "qualification": "Ausbildung Elektronik", "workplace": "Erlangen",
        "gross_salary_euros": "52000", "hours_per_week": "40", "consent": "on",
    }  # fmt: skip
    for item in service.checklist.all():
        if item.required and item.condition_id is None:
            data[f"document_{item.pk}"] = SimpleUploadedFile("nachweis.pdf", pdf_bytes())
    data.update(files)
    return data


def test_employer_submits_the_81a_form(client, demo):
    from willkommen.catalog.models import Service

    service = Service.objects.get(slug="beschleunigtes-fachkraefteverfahren")
    response = client.post("/de/apply/skilled-worker/", skilled_worker_data(service))
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(source="form-81a")
    assert case.representative.organisation == "Muster GmbH"
    assert case.job.gross_salary_euros == 52000
    assert not case.notify_by_email  # the employer did not ask for status mails
    assert case.team.slug == "fachkraefte"
    assert case.documents.count() == case.requirements.filter(required=True).count()
    mail = OutboxMail.objects.get(dedupe_key=f"case:{case.pk}:confirmation")
    assert mail.to == "hr@muster.example" and case.reference in mail.body
    assert case.reference in client.get(response["Location"]).content.decode()


def test_a_bad_file_in_the_form_creates_nothing(client, demo):
    from willkommen.catalog.models import Service

    service = Service.objects.get(slug="beschleunigtes-fachkraefteverfahren")
    item = service.checklist.filter(required=True, condition__isnull=True).first()
    data = skilled_worker_data(
        service, **{f"document_{item.pk}": SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 50)}
    )
    response = client.post("/de/apply/skilled-worker/", data)
    assert response.status_code == 400
    assert "Nur diese Dateitypen werden angenommen" in response.content.decode()
    assert not Case.objects.exists() and not Document.objects.exists()


def test_naturalisation_documents_open_a_case(client, demo):
    from willkommen.catalog.models import Service

    service = Service.objects.get(slug="einbuergerung-unterlagen-einreichen")
    data = {
        "given_name": "Olena", "family_name": "Kovalenko", "date_of_birth": "1988-02-03",
        "nationality": "ukrainisch", "email": "olena@example.org", "phone": "", "consent": "on",
        "notify": "on",
    }  # fmt: skip
    for item in service.checklist.filter(required=True, condition__isnull=True):
        data[f"document_{item.pk}"] = SimpleUploadedFile("doc.pdf", pdf_bytes())
    response = client.post("/de/apply/naturalisation/", data)
    assert response.status_code == 302
    case = Case.objects.get(source="form-naturalisation")
    assert case.team.slug == "einbuergerung"
    assert case.notify_by_email


def test_contact_form_routes_by_topic(client, demo):
    topic = ContactTopic.objects.get(slug="familie")
    response = client.post(
        "/de/contact/",
        {"topic": topic.pk, "name": "Mariam Nasser", "email": "m@example.org",
         "message": "Frage zum Familiennachzug", "consent": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.team.slug == "familie" and request.reference.startswith("KON-")
    assert OutboxMail.objects.filter(to="m@example.org", body__contains=request.reference).exists()


def test_forms_are_rate_limited(client, demo, settings):
    settings.PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    for _attempt in range(2):
        assert client.post("/de/contact/", {}).status_code == 400
    assert client.post("/de/contact/", {}).status_code == 429


def test_contact_form_for_an_unknown_team_topic_is_refused(client, demo):
    response = client.post("/de/contact/", {"topic": 99999, "name": "x", "email": "x@x.de"})
    assert response.status_code == 400
    assert not ContactRequest.objects.exists()
    assert TeamFactory  # factories importable for other tests
