"""Frequently asked questions per service: model, loader, service page, search, API, admin."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError

from tests.accounts.factories import UserFactory
from tests.catalog.factories import FrequentQuestionFactory, ServiceFactory
from willkommen.accounts.roles import Role
from willkommen.catalog import selectors
from willkommen.catalog.models import FrequentQuestion, Service
from willkommen.catalog.services import DEMO_CATALOG, load_catalog
from willkommen.core.i18n import supported_languages

pytestmark = pytest.mark.django_db

STOLEN_DE = "Was muss ich tun, wenn meine Karte gestohlen wurde?"
STOLEN_EN = "What should I do if my card was stolen?"


def demo_data() -> dict:
    return json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))


# --- the model ------------------------------------------------------------------


def test_a_question_needs_german_question_and_answer():
    service = ServiceFactory()
    with pytest.raises(ValidationError) as refused:
        FrequentQuestion(service=service, question={"en": "Only English?"}, answer={}).full_clean()
    assert {"question", "answer"} <= set(refused.value.message_dict)
    FrequentQuestion(service=service, question={"de": "Frage?"}, answer={"de": "Ja."}).full_clean()


def test_texts_must_be_given_per_language():
    question = FrequentQuestion(service=ServiceFactory(), question=["Frage?"], answer={"de": "Ja"})
    with pytest.raises(ValidationError) as refused:
        question.full_clean()
    assert "question" in refused.value.message_dict


# --- the loader -----------------------------------------------------------------


def test_demo_catalogue_has_questions_in_all_nine_languages(demo_catalog):
    assert demo_catalog["questions"] >= 8
    questions = FrequentQuestion.objects.all()
    assert questions.count() == demo_catalog["questions"]
    assert questions.values("service").distinct().count() >= 6
    for question in questions:
        for value in (question.question, question.answer):
            assert sorted(value) == sorted(supported_languages()), question
            assert all(text.strip() for text in value.values())


def test_loading_again_replaces_the_questions_of_a_service(demo_catalog):
    data = demo_data()
    before = FrequentQuestion.objects.count()
    service_row = next(
        row
        for category in data["categories"]
        for row in category["services"]
        if row["slug"] == "aufenthaltserlaubnis-verlaengern"
    )
    removed = len(service_row["faqs"]) - 1
    service_row["faqs"] = service_row["faqs"][:1]
    service_row["faqs"][0]["published"] = False
    counts = load_catalog(data)
    assert counts["questions"] == before - removed
    service = Service.objects.get(slug="aufenthaltserlaubnis-verlaengern")
    assert list(service.questions.values_list("is_published", flat=True)) == [False]


def test_an_invalid_question_changes_nothing(demo_catalog):
    data = copy.deepcopy(demo_data())
    rows = data["categories"][0]["services"][0]["faqs"]
    before = list(FrequentQuestion.objects.values_list("pk", "question"))
    rows.append({"question": {"en": "No German?"}, "answer": {"en": "None."}})
    with pytest.raises(ValidationError):
        load_catalog(data)
    assert list(FrequentQuestion.objects.values_list("pk", "question")) == before


# --- the service page -------------------------------------------------------------


def test_service_page_shows_published_questions_as_disclosures(client, demo_catalog):
    service = Service.objects.get(slug="verlust-eat-melden")
    draft = FrequentQuestionFactory(
        service=service,
        question={"de": "Entwurf?"},
        answer={"de": "Noch nicht."},
        is_published=False,
    )
    body = client.get("/de/services/verlust-eat-melden/").content.decode()
    assert "Häufige Fragen" in body
    summary = '<summary class="kern-accordion__header"><span class="kern-title">'
    assert summary + STOLEN_DE in body
    assert "Zeigen Sie den Diebstahl zuerst bei der Polizei an" in body
    assert " open>" not in body  # closed until asked for
    assert "Entwurf?" not in body and f"question-{draft.pk}" not in body


def test_service_page_opens_the_question_asked_for(client, demo_catalog):
    question = FrequentQuestion.objects.get(question__de=STOLEN_DE)
    body = client.get(f"/en/services/verlust-eat-melden/?question={question.pk}").content.decode()
    assert f'id="question-{question.pk}" open>' in body
    assert STOLEN_EN in body


def test_service_page_without_questions_has_no_empty_section(client, demo_catalog):
    body = client.get("/de/services/adressaenderung-eat/").content.decode()
    assert "questions-heading" not in body


def test_a_missing_language_falls_back_to_german(client, demo_catalog):
    service = Service.objects.get(slug="adressaenderung-eat")
    FrequentQuestionFactory(service=service, question={"de": "Nur Deutsch?"}, answer={"de": "Ja."})
    body = client.get("/tr/services/adressaenderung-eat/").content.decode()
    assert "Nur Deutsch?" in body


# --- the search -----------------------------------------------------------------


def found(query, language):
    return {
        service.slug: [tr_question.question[language] for tr_question in service.matching_questions]
        for group in selectors.find_services(query, language)
        for service in group.services
    }


def test_search_finds_a_service_by_its_question_in_german(demo_catalog):
    # "Polizei" is in no service's name, description or search words, only in the answer.
    assert found("polizei", "de") == {"verlust-eat-melden": [STOLEN_DE]}
    assert found("Karte gestohlen wurde", "de") == {"verlust-eat-melden": [STOLEN_DE]}


def test_search_finds_a_service_by_its_question_in_english(demo_catalog):
    assert found("police report", "en") == {"verlust-eat-melden": [STOLEN_EN]}
    assert found("card was stolen", "en") == {"verlust-eat-melden": [STOLEN_EN]}


def test_search_finds_by_the_answer_and_in_german_from_another_language(demo_catalog):
    assert "einbuergerung-unterlagen-einreichen" in found("Botschaft", "fr")  # German fallback
    assert "einbuergerung-unterlagen-einreichen" in found("ambassade", "fr")


def test_search_ignores_unpublished_questions(demo_catalog):
    FrequentQuestion.objects.filter(question__de=STOLEN_DE).update(is_published=False)
    assert found("Polizei", "de") == {}
    assert found("gestohlen", "de") == {"verlust-eat-melden": []}  # by its search words


def test_start_page_shows_the_matching_question_with_a_link(client, demo_catalog):
    question = FrequentQuestion.objects.get(question__de=STOLEN_DE)
    body = client.get("/en/", {"q": "stolen"}).content.decode()
    assert "Matching questions:" in body
    assert f"/en/services/verlust-eat-melden/?question={question.pk}#question-{question.pk}" in body
    assert STOLEN_EN in body
    assert "Settlement permit" not in body


def test_a_search_by_service_name_shows_no_questions(client, demo_catalog):
    body = client.get("/de/", {"q": "Verlust"}).content.decode()
    assert "Verlust des eAT melden" in body
    assert "Passende Fragen:" not in body


# --- the API ----------------------------------------------------------------------


def test_api_service_carries_its_questions_in_the_language_asked(client, demo_catalog):
    answer = client.get("/api/v1/services/verlust-eat-melden", {"lang": "uk"}).json()
    assert answer["questions"] == [
        {
            "question": "Що робити, якщо мою картку вкрали?",
            "answer": FrequentQuestion.objects.get(question__de=STOLEN_DE).answer["uk"],
        }
    ]
    none = client.get("/api/v1/services/adressaenderung-eat").json()
    assert none["questions"] == []


def test_openapi_document_describes_the_questions(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["schemas"]["QuestionOut"]["required"] == ["question", "answer"]
    service = schema["components"]["schemas"]["ServiceOut"]
    assert "questions" in service["required"]


# --- the admin --------------------------------------------------------------------


def test_admin_lists_questions_with_the_languages_they_lack(client, demo_catalog):
    service = Service.objects.get(slug="adressaenderung-eat")
    FrequentQuestionFactory(
        service=service,
        question={"de": "Nur zwei Sprachen?", "en": "Only two languages?"},
        answer={"de": "Ja.", "en": "Yes.", "fr": "Oui."},
    )
    client.force_login(UserFactory(roles=[Role.ADMIN], is_staff=True))
    body = client.get("/admin/catalog/frequentquestion/").content.decode()
    assert "Nur zwei Sprachen?" in body
    assert "fr, ru, uk, ar, tr, sq, sr-latn" in body
    change = client.get(f"/admin/catalog/service/{service.pk}/change/").content.decode()
    assert 'name="questions-0-question_0"' in change
    assert "fr, ru, uk, ar, tr, sq, sr-latn" in change
