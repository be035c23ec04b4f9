"""In the browser: a refused file is named with its reason, the accepted ones stay chosen."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.cases.factories import pdf_bytes
from tests.core import hostile_files as hostile
from tests.e2e.conftest import assert_accessible
from willkommen.cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo_catalog", verbosity=0)
    call_command("load_demo_cases", verbosity=0)


def test_one_hostile_file_does_not_clear_the_others(live_server, page, catalogue, tmp_path):
    good, bad = tmp_path / "nachweis.pdf", tmp_path / "antrag.pdf"
    good.write_bytes(pdf_bytes())
    bad.write_bytes(hostile.PDF_WITH_JAVASCRIPT)
    page.goto(f"{live_server.url}/de/apply/naturalisation/")
    page.get_by_label("Vornamen", exact=True).fill("Olena")
    page.get_by_label("Familienname", exact=True).fill("Kovalenko")
    page.get_by_label("Geburtsdatum", exact=True).fill("1988-02-03")
    page.get_by_label("Staatsangehörigkeit", exact=True).fill("ukrainisch")
    page.get_by_label("E-Mail", exact=True).fill("olena@example.org")
    uploads = page.locator("input[type=file][required]").all()
    assert len(uploads) >= 2
    uploads[0].set_input_files(str(bad))
    for upload in uploads[1:]:
        upload.set_input_files(str(good))
    page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.locator(".kern-error").first).to_contain_text("Skripte, Aktionen")
    held = page.locator(".upload-held")
    expect(held).to_have_count(len(uploads) - 1)
    expect(held.first).to_contain_text("Erhalten und geprüft: nachweis.pdf")
    assert_accessible(page, "(form with a refused file)")
    assert not Case.objects.filter(source="form-naturalisation").exists()

    # Only the refused file is chosen again (the consent box is re-ticked).
    page.locator("input[type=file][required]").first.set_input_files(str(good))
    page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Antrag absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank")
    case = Case.objects.get(source="form-naturalisation")
    assert case.documents.count() == len(uploads)
