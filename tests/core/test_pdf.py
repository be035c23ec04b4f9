"""core.pdf: fonts for every script, direction and alignment per language, drawn boxes."""

import io
import logging
import unicodedata
from pathlib import Path

import polib
import pytest
from django.utils import translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from willkommen.core.pdf import FONT_DIR, FONT_FILES, OfficePDF

SRC = Path(__file__).resolve().parents[2] / "src" / "willkommen"
# The modules whose strings end up in a PDF.
PDF_MODULES = {
    "booking": "documents.py",
    "cases": "letters.py",
    "catalog": "documents.py",
    "frontdesk": "tickets.py",
}


def covered_by_fonts() -> set[int]:
    cmaps = [TTFont(FONT_DIR / name).getBestCmap() for name in FONT_FILES.values()]
    return set().union(*cmaps)


def lines_with_x(data: bytes) -> list[tuple[float, str]]:
    """(x where a run of text starts, its text) for page 1, in content-stream order."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((tm[4], text))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return runs


def test_a_character_no_font_has_is_logged_and_noted(caplog):
    caplog.set_level(logging.WARNING, logger="willkommen.core.pdf")
    pdf = OfficePDF("Test", language="de")
    pdf.paragraph("Name: 王芳 ☐")
    pdf.render()
    assert pdf.uncovered == {"王", "芳", "☐"}
    assert any("王" in record.getMessage() for record in caplog.records)


def test_latin_cyrillic_and_arabic_on_one_page_need_no_missing_glyph(caplog):
    caplog.set_level(logging.WARNING, logger="willkommen.core.pdf")
    pdf = OfficePDF("Test", language="de")
    text = "Jürgen Müller · Олена Коваленко · محمد عبد الله · Çağrı Öztürk · Đorđe 12,50 €"
    pdf.paragraph(text)
    data = pdf.render()
    assert pdf.uncovered == set()
    assert not caplog.records
    extracted = unicodedata.normalize("NFKC", PdfReader(io.BytesIO(data)).pages[0].extract_text())
    for word in ("Jürgen", "Коваленко", "محمد", "Çağrı", "Đorđe", "€"):
        assert word in extracted


def test_arabic_pages_run_right_to_left_and_are_aligned_right():
    with translation.override("ar"):
        pdf = OfficePDF("Test")
    assert pdf.language == "ar" and pdf.rtl
    pdf.paragraph("رقم الحجز")
    rtl = lines_with_x(pdf.render())
    german = OfficePDF("Test", language="de")
    german.paragraph("Buchungsnummer")
    ltr = lines_with_x(german.render())
    middle = 210 / 2 * 72 / 25.4  # the middle of an A4 page in points
    # The office name in the header and the paragraph start right of the middle.
    assert all(x > middle for x, _text in rtl[:2]), rtl
    assert all(x < middle for x, _text in ltr[:2]), ltr


def test_an_arabic_paragraph_with_a_latin_reference_keeps_both_in_order():
    pdf = OfficePDF("Test", language="ar")
    pdf.paragraph("رقم الحجز: T-ABC123")
    text = unicodedata.normalize(
        "NFKC", PdfReader(io.BytesIO(pdf.render())).pages[0].extract_text()
    )
    # On the page the reference is at the left end of the line, after the label read
    # from the right; pypdf gives the runs from left to right.
    assert "T-ABC123 :رقم الحجز" in text, text


def test_the_checkbox_is_a_drawn_square_on_the_side_the_line_starts():
    for language, expect_right in (("de", False), ("ar", True)):
        pdf = OfficePDF("Test", language=language)
        pdf.checkbox("Reisepass" if language == "de" else "جواز السفر")
        content = PdfReader(io.BytesIO(pdf.render())).pages[0].get_contents().get_data()
        squares = [line for line in content.split(b"\n") if line.endswith(b" re S")]
        assert len(squares) == 1
        x = float(squares[0].split()[0])
        assert (x > 400) is expect_right, (language, squares)


@pytest.mark.parametrize("app", sorted(PDF_MODULES))
def test_the_fonts_cover_every_translation_printed_in_a_pdf(app):
    """Whatever the translators write for a PDF's strings, no character is an empty box."""
    covered = covered_by_fonts()
    module = PDF_MODULES[app]
    gaps, checked = {}, 0
    for po_file in sorted((SRC / app / "locale").glob("*/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_file)):
            if not any(Path(name).name == module for name, _line in entry.occurrences):
                continue
            checked += 1
            texts = [entry.msgid, entry.msgstr, *entry.msgstr_plural.values()]
            missing = {
                char
                for text in texts
                for char in text
                if ord(char) not in covered and unicodedata.category(char) not in ("Cc", "Cf")
            }
            if missing:
                gaps[f"{po_file.parent.parent.name}: {entry.msgid[:40]}"] = sorted(missing)
    assert checked > 0
    assert gaps == {}
