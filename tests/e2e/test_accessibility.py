"""The BITV pages in the browser, each checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from willkommen.demo import accessibility as demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def statement(transactional_db):
    demo.load()


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_statement_from_the_footer(live_server, page, statement, language):
    page.goto(f"{live_server.url}/{language}/leichte-sprache/")
    page.locator("footer").get_by_role("link").nth(1).click()
    expect(page).to_have_url(f"{live_server.url}/{language}/barrierefreiheit/")
    expect(page.locator("#non-accessible-parts li")).to_have_count(3)
    expect(page.locator("#federal-body")).to_have_attribute(
        "href", "https://www.schlichtungsstelle-bgg.de"
    )
    assert_accessible(page, f"(statement, {language})")


def test_leichte_sprache_and_dgs_from_the_start_page(live_server, page, statement):
    page.goto(f"{live_server.url}/de/")
    page.get_by_role("link", name="Leichte Sprache").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Informationen in Leichter Sprache")
    assert_accessible(page, "(Leichte Sprache)")
    page.goto(f"{live_server.url}/de/")
    page.get_by_role("link", name="Deutsche Gebärdensprache (DGS)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deutsche Gebärdensprache (DGS)")
    expect(page.get_by_text("Noch kein Video")).to_be_visible()
    assert_accessible(page, "(DGS without a video)")


def test_dgs_page_with_a_video(live_server, page, statement, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.accessibility.media import CAPTIONS, mp4
    from willkommen.accessibility import services
    from willkommen.accessibility.models import SignLanguageVideo
    from willkommen.core.uploads.video import check_captions, check_video

    settings.MEDIA_ROOT = tmp_path
    services.store_video(
        SignLanguageVideo(title={"de": "Willkommen"}),
        check_video(SimpleUploadedFile("w.mp4", mp4())),
        check_captions(SimpleUploadedFile("w.vtt", CAPTIONS)),
    )
    page.goto(f"{live_server.url}/de/gebaerdensprache/")
    expect(page.locator("video")).to_have_count(1)
    expect(page.get_by_role("link", name="Video „Willkommen“ herunterladen")).to_be_visible()
    assert_accessible(page, "(DGS with a video)")


def test_report_a_barrier(live_server, page, statement):
    from willkommen.accessibility.models import BarrierReport

    page.goto(f"{live_server.url}/de/barriere-melden/")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "(report form with errors)")
    page.get_by_label("Welche Seite oder welcher Teil davon?").fill("Terminbuchung")
    page.get_by_label("Was hat nicht funktioniert?").fill("Der Fokus ist nicht sichtbar.")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank")
    assert_accessible(page, "(report received)")
    assert BarrierReport.objects.get().page == "Terminbuchung"
