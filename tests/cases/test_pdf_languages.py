"""Every PDF the office writes, in each of the nine languages, read back with pypdf.

The texts are data the test controls (a service, a checklist item, a location in all
nine languages, names in Cyrillic and Arabic script), not the shipped translations,
which are written elsewhere. What pypdf gives back (see docs/development.md, "PDFs"):
the characters as typed, not HarfBuzz's shaped glyphs, because fpdf2 writes a
ToUnicode map from each glyph to the text it came from; NFKC folds any presentation
form that slips through. The order is the order on the page: a run of Arabic set in
one font comes back as typed, but Arabic words that another font's spaces split
into several runs come back word by word from left to right, i.e. reversed.
"""

import io
import logging
import re
import unicodedata

import pytest
from django.conf import settings
from django.utils import translation
from pypdf import PdfReader

from tests.booking.factories import AppointmentFactory
from tests.cases.factories import make_case_type, open_case, status, upload_all_required
from tests.catalog.factories import ChecklistItemFactory, LocationFactory, ServiceFactory
from tests.frontdesk.factories import VisitFactory
from willkommen.booking.documents import confirmation_pdf
from willkommen.cases import services
from willkommen.catalog.documents import checklist_pdf
from willkommen.catalog.selectors import personal_checklist
from willkommen.frontdesk.tickets import ticket_pdf

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]

SERVICE = {
    "de": "Aufenthaltserlaubnis verlängern",
    "en": "Extend a residence permit",
    "fr": "Prolonger le titre de séjour",
    "ru": "Продление вида на жительство",
    "uk": "Продовження посвідки на проживання",
    "ar": "تمديد تصريح الإقامة",
    "tr": "Oturma izninin uzatılması",
    "sq": "Zgjatja e lejes së qëndrimit",
    "sr-latn": "Produženje boravišne dozvole",
}
DOCUMENT = {
    "de": "Reisepass",
    "en": "Passport",
    "fr": "Passeport",
    "ru": "Заграничный паспорт",
    "uk": "Закордонний паспорт",
    "ar": "جواز السفر",
    "tr": "Pasaport",
    "sq": "Pasaporta",
    "sr-latn": "Pasoš",
}
LOCATION = {
    "de": "Bürgeramt Mitte",
    "en": "Citizens' office Centre",
    "fr": "Bureau des citoyens Centre",
    "ru": "Центральное бюро",
    "uk": "Центральне бюро",
    "ar": "مكتب المواطنين الأوسط",
    "tr": "Merkez vatandaş bürosu",
    "sq": "Zyra qendrore e qytetarëve",
    "sr-latn": "Centralna služba za građane",
}
# A name in the page's other script on every page: Arabic on the Latin pages,
# Cyrillic and German on the Arabic one.
NAMES = {code: ("محمد عبد الله" if code != "ar" else "Олена Коваленко") for code in LANGUAGES}


def assert_all_languages_given():
    for texts in (SERVICE, DOCUMENT, LOCATION):
        assert sorted(texts) == sorted(LANGUAGES)


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def found(expected: str, text: str) -> bool:
    """``expected`` in the extracted ``text``, as typed or with its words in page order."""
    expected, text = normal(expected), normal(text)
    return expected in text or " ".join(reversed(expected.split())) in text


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def service():
    assert_all_languages_given()
    service = ServiceFactory(
        slug="verlaengern", name=SERVICE, short_description={"de": "Kurz", "ar": "قصير"}
    )
    ChecklistItemFactory(service=service, title=DOCUMENT)
    return service


@pytest.fixture
def no_font_gaps(caplog):
    """Fails the test if a PDF drew a character that neither font has (an empty box)."""
    caplog.set_level(logging.WARNING, logger="willkommen.core.pdf")
    yield
    assert [r.getMessage() for r in caplog.records if r.name == "willkommen.core.pdf"] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_in_each_language(language, service, no_font_gaps):
    location = LocationFactory(slug="mitte", name=LOCATION)
    appointment = AppointmentFactory(
        service=service, location=location, applicant_name=NAMES[language], language=language
    )
    with translation.override(language):
        text = pdf_text(confirmation_pdf(appointment))
    assert found(SERVICE[language], text), text
    assert found(DOCUMENT[language], text), text
    assert found(LOCATION[language], text), text
    assert found(NAMES[language], text), text
    assert appointment.reference in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_in_each_language(language, service, no_font_gaps):
    case_type = make_case_type(service, items=0)
    given, family = ("Олена", "Коваленко") if language == "ar" else ("محمد", "عبد الله")
    case = open_case(
        case_type, language=language, applicant={"given_name": given, "family_name": family}
    ).case
    upload_all_required(case)
    services.change_status(
        case, status(case_type, "vollstaendig"), actor=None, expected_status_id=case.status_id
    )
    case.refresh_from_db()
    text = pdf_text(bytes(case.receipt.pdf))
    assert found(SERVICE[language], text), text
    assert found(DOCUMENT[language], text), text
    assert found(f"{given} {family}", text), text
    assert case.reference in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ticket_in_each_language(language, service, no_font_gaps):
    visit = VisitFactory(
        service=service, location=LocationFactory(slug="mitte", name=LOCATION), ticket_number=42
    )
    text = pdf_text(ticket_pdf(visit, language))
    assert found(SERVICE[language], text), text
    assert found(LOCATION[language], text), text
    assert re.search(rf"\b{visit.ticket}\b", normal(text)), text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_checklist_in_each_language(language, service, no_font_gaps):
    with translation.override(language):
        data = checklist_pdf(service, personal_checklist(service, {}))
    text = pdf_text(data)
    assert found(SERVICE[language], text), text
    assert found(DOCUMENT[language], text), text
    # The box to tick is drawn, not a character the font may lack.
    assert "☐" not in text
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    assert re.search(rb"(-?[\d.]+ ){4}re S", content)


def test_the_ticket_follows_the_visits_language(service, no_font_gaps):
    # The visit takes the booking's language at check-in (tests/frontdesk/
    # test_applicant_language.py); the ticket follows the visit.
    appointment = AppointmentFactory(service=service, language="uk")
    visit = VisitFactory(
        service=service, location=appointment.location, appointment=appointment, language="uk"
    )
    assert found(SERVICE["uk"], pdf_text(ticket_pdf(visit)))
    assert found(SERVICE["tr"], pdf_text(ticket_pdf(visit, "tr")))
