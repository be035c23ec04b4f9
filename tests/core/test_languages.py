"""Nine languages on the public side (issue 18): which language a first visit gets,
the switcher, right-to-left pages, the German fallback of catalogue texts, the
admin's translation status, the API's and the display's languages."""

import re

import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation

from tests.accounts.factories import UserFactory
from tests.catalog.factories import ChecklistItemFactory, ServiceFactory
from willkommen.accounts.roles import Role
from willkommen.core.i18n import language_from_accept, tr_html

pytestmark = pytest.mark.django_db

NINE = ["de", "en", "fr", "ru", "uk", "ar", "tr", "sq", "sr-latn"]


def test_the_nine_languages_are_offered_arabic_right_to_left():
    assert [code for code, _name in settings.LANGUAGES] == NINE
    assert settings.LANGUAGES_BIDI == ["ar"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ar-EG,ar;q=0.9,en;q=0.5", "ar"),
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("it;q=0.9, uk;q=0.3, ru;q=0.5", "ru"),  # by q-value, not by position
        ("it, sr-Cyrl-RS;q=0.8", "sr-latn"),
        ("sr", "sr-latn"),
        ("sr-Latn-BA", "sr-latn"),
        ("tr-TR", "tr"),
        ("sq-AL,de;q=0.1", "sq"),
        ("uk-UA", "uk"),
        ("en-US,en;q=0.9", "en"),
        ("hr, en;q=0.5", "en"),  # a language named outright beats a neighbour
        ("bs-BA", "sr-latn"),  # Bosnian readers read Serbian in Latin script
        ("it, pt", None),
        ("*", None),
        ("", None),
    ],
)
def test_accept_language_picks_the_first_offered_match(header, expected):
    assert language_from_accept(header) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ar-EG,ar;q=0.9", "ar"),
        ("fr-CH", "fr"),
        ("sr-Cyrl", "sr-latn"),
        ("it;q=0.9, uk;q=0.3, ru;q=0.5", "ru"),
        ("bs", "sr-latn"),
        ("it", "de"),
    ],
)
def test_first_visit_of_the_root_and_of_a_language_less_url(client, header, expected):
    root = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert root.status_code == 302 and root["Location"] == f"/{expected}/"
    page = client.get("/services/blaue-karte-eu/?x=1", HTTP_ACCEPT_LANGUAGE=header)
    assert page["Location"] == f"/{expected}/services/blaue-karte-eu/?x=1"


def test_the_choice_is_remembered_and_wins_over_accept_language(client):
    page = client.get("/tr/")
    assert page.status_code == 200
    assert page.cookies[settings.LANGUAGE_COOKIE_NAME].value == "tr"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar")["Location"] == "/tr/"
    again = client.get("/tr/")
    assert settings.LANGUAGE_COOKIE_NAME not in again.cookies  # unchanged: not sent again


def test_switcher_names_each_language_in_itself_and_keeps_path_and_query(client, demo_catalog):
    page = client.get("/de/services/blaue-karte-eu/?persons=2&x=%C3%BC").content.decode()
    switch = page.split('<details class="language-switch">', 1)[1].split("</details>", 1)[0]
    for code, name in settings.LANGUAGES:
        url = f"/{code}/services/blaue-karte-eu/?persons=2&amp;x=%C3%BC"
        assert f'href="{url}" lang="{code}" hreflang="{code}"' in switch
        assert name in switch
    current = re.findall(r'<a [^>]*aria-current="true"[^>]*>', switch)
    assert current == [
        '<a class="kern-link" href="/de/services/blaue-karte-eu/?persons=2&amp;x=%C3%BC" '
        'lang="de" hreflang="de" aria-current="true">'
    ]
    assert '<summary class="language-switch__summary">' in switch


@pytest.mark.parametrize(("code", "direction"), [(c, "rtl" if c == "ar" else "ltr") for c in NINE])
def test_pages_say_their_language_and_direction(client, demo_catalog, code, direction):
    page = client.get(f"/{code}/").content.decode()
    assert f'<html lang="{code}" dir="{direction}">' in page
    assert ("core/rtl." in page) == (direction == "rtl")


def test_numbers_and_references_stay_left_to_right(client):
    rendered = engines["django"].from_string(
        "{% load willkommen %}{{ ref|ltr }} {{ empty|ltr }}|{{ evil|ltr }}"
    )
    html = rendered.render({"ref": "T-2026-0042", "empty": "", "evil": "<b>"})
    assert html == '<bdi dir="ltr">T-2026-0042</bdi> |<bdi dir="ltr">&lt;b&gt;</bdi>'


def test_a_missing_translation_shows_german_marked_with_a_note_never_blank():
    text = {"de": "Reisepass <gültig>", "en": "Passport"}
    assert tr_html(text, "en") == "Passport"
    with translation.override("ar"):
        marked = tr_html(text)
    assert marked.startswith('<span lang="de" dir="ltr">Reisepass &lt;gültig&gt;</span> ')
    assert '<span class="translation-note">' in marked
    assert tr_html({"de": "Nur deutsch"}, "de") == "Nur deutsch"
    assert tr_html({}, "fr") == ""


def test_service_page_marks_german_fallback_in_the_page_language(client):
    service = ServiceFactory(
        slug="pass",
        name={"de": "Pass verlängern", "en": "Renew passport", "fr": "Renouveler le passeport"},
        short_description={"de": "Nur auf Deutsch"},
    )
    ChecklistItemFactory(service=service, title={"de": "Meldebescheinigung"})
    page = client.get("/fr/services/pass/").content.decode()
    assert "Renouveler le passeport" in page
    assert '<span lang="de" dir="ltr">Nur auf Deutsch</span>' in page
    assert '<span lang="de" dir="ltr">Meldebescheinigung</span>' in page
    english = client.get("/en/services/pass/").content.decode()
    note = '<span class="translation-note">(in German)</span>'
    assert f'<span lang="de" dir="ltr">Nur auf Deutsch</span> {note}' in english
    assert '<span lang="de" dir="ltr">Pass verlängern' not in english


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(roles=[Role.ADMIN], is_staff=True))
    return client


def test_admin_lists_show_and_filter_missing_languages(admin_client):
    complete = {code: f"Text {code}" for code in NINE}
    done = ServiceFactory(slug="fertig", name=complete, short_description=complete)
    half = ServiceFactory(slug="halb", name=complete, short_description=complete)
    ChecklistItemFactory(service=half, title={"de": "Pass", "tr": "Pasaport"})
    page = admin_client.get("/admin/catalog/service/").content.decode()
    assert "fehlende Sprachen" in page or "missing languages" in page
    assert "en, fr, ru, uk, ar, sq, sr-latn" in page  # the checklist item of "halb"
    only_tr = admin_client.get("/admin/catalog/service/", {"missing_language": "tr"})
    assert ">halb<" not in only_tr.content.decode() and ">fertig<" not in only_tr.content.decode()
    only_uk = admin_client.get("/admin/catalog/service/", {"missing_language": "uk"})
    assert ">halb<" in only_uk.content.decode() and ">fertig<" not in only_uk.content.decode()
    assert done.slug == "fertig"
    for url in [
        "/admin/catalog/location/",
        "/admin/catalog/servicecategory/",
        "/admin/catalog/checklistcondition/",
        "/admin/cases/casetype/",
        "/admin/cases/contacttopic/",
    ]:
        listing = admin_client.get(url, {"missing_language": "any"})
        assert listing.status_code == 200, url
        assert "?missing_language=ar" in listing.content.decode(), url


def test_admin_translation_status_page_counts_per_language(admin_client):
    ServiceFactory(slug="nur-de", name={"de": "Nur Deutsch"}, short_description={"de": "Kurz"})
    index = admin_client.get("/admin/").content.decode()
    assert "/admin/translations/" in index
    page = admin_client.get("/admin/translations/").content.decode()
    table = page.split('id="translation-status"', 1)[1].split("</table>", 1)[0]
    rows = dict(
        re.findall(r'<th scope="row" lang="([a-z-]+)">.*?</th><td>\d+</td><td>(\d+)</td>', table)
    )
    assert set(rows) == set(NINE)
    assert rows["de"] == "0" and int(rows["ar"]) >= 2  # name and short description


def test_the_translation_status_page_is_for_the_admin_only(client):
    client.force_login(UserFactory(roles=[Role.CLERK], is_staff=True))
    assert client.get("/admin/translations/").status_code == 302


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        ("?lang=uk", "ar", "uk"),
        ("", "it;q=0.9, ar-EG;q=0.5", "ar"),
        ("", "sr-Cyrl", "sr-latn"),
        ("?lang=xx", "", "de"),
    ],
)
def test_api_errors_speak_the_language_asked_for(client, query, header, expected):
    response = client.get(f"/api/v1/services/no-such{query}", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 404
    assert response["Content-Language"] == expected
    with translation.override(expected):
        assert response.json()["detail"] == translation.gettext("Service not found")


def test_display_hints_rotate_through_every_language_with_direction():
    from willkommen.frontdesk.display import HINTS, hints

    rows = hints()
    assert len(rows) == len(HINTS) * len(NINE)
    assert [row["lang"] for row in rows[: len(NINE)]] == NINE
    assert {row["dir"] for row in rows if row["lang"] == "ar"} == {"rtl"}
    assert {row["dir"] for row in rows if row["lang"] != "ar"} == {"ltr"}
