"""The office's PDF layout: fonts that cover every applicant's name, header, footer.

Every PDF is written in one language (the active one unless given). Text goes
through HarfBuzz (fpdf2's text shaping, package ``uharfbuzz``), which joins
Arabic letters and places marks; a paragraph of a right-to-left language
(``settings.LANGUAGES_BIDI``) runs right to left and is aligned right, and
fpdf2's bidi algorithm puts a Latin reference or a German name inside it in
the right order. Each page has a primary font for its script and the other as
fallback, so an Arabic name on a German page and a Latin reference on an Arabic
page are both drawn. The fonts are vendored subsets (core/fonts/README).
"""

import logging
import unicodedata
from pathlib import Path

from django.conf import settings
from fpdf import FPDF

from willkommen.core.i18n import active_language

FONT_DIR = Path(__file__).resolve().parent / "fonts"
LATIN, ARABIC = "Noto", "NotoArabic"
FONT_FILES = {
    (LATIN, ""): "NotoSans-Regular.ttf",
    (LATIN, "B"): "NotoSans-Bold.ttf",
    (ARABIC, ""): "NotoSansArabic-Regular.ttf",
    (ARABIC, "B"): "NotoSansArabic-Bold.ttf",
}
# The font a language's pages are set in first (its digits and punctuation then
# match its letters); every other font is a fallback for characters it lacks.
# Languages not listed are set in Latin (Noto Sans also has Greek and Cyrillic).
FAMILY_OF_LANGUAGE = {"ar": ARABIC}

logger = logging.getLogger(__name__)


def is_right_to_left(language: str) -> bool:
    return language.split("-")[0] in {code.split("-")[0] for code in settings.LANGUAGES_BIDI}


def has_right_to_left_letter(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


class OfficePDF(FPDF):
    """A4 portrait (or ``page_size``) with the office name on top and page numbers below."""

    def __init__(
        self,
        title: str,
        footer_text: str = "",
        *,
        language: str | None = None,
        page_size="A4",
        margins: tuple[float, float] = (20, 18),
    ):
        super().__init__(orientation="P", unit="mm", format=page_size)
        self.language = active_language(language)
        self.rtl = is_right_to_left(self.language)
        for (family, style), name in FONT_FILES.items():
            self.add_font(family, style, str(FONT_DIR / name))
        self.family = FAMILY_OF_LANGUAGE.get(self.language.split("-")[0], LATIN)
        families = {family for family, _style in FONT_FILES}
        self.set_fallback_fonts(sorted(families - {self.family}))
        self.covered = set().union(*(font.cmap.keys() for font in self.fonts.values()))
        self.set_text_shaping(True, direction="rtl" if self.rtl else "ltr")
        self.align = "R" if self.rtl else "L"
        self.uncovered: set[str] = set()
        self.set_lang(self.language)
        self.set_title(title)
        self.set_creator("willkommen")
        self.set_author(settings.OFFICE_NAME)
        self.footer_text = footer_text
        self.set_margins(margins[0], margins[1], margins[0])
        # The footer sits 14 mm above the bottom edge: text stops above it.
        self.set_auto_page_break(auto=True, margin=max(margins[1], 16))
        self.add_page()

    def normalize_text(self, text: str) -> str:
        # With text shaping on, fpdf2 draws a character no font has as an empty box
        # without a word; note each such character so that it is logged and testable.
        missing = {
            char
            for char in text
            if ord(char) not in self.covered and unicodedata.category(char) not in ("Cc", "Cf")
        }
        if missing - self.uncovered:
            logger.warning("PDF fonts lack %s", ", ".join(sorted(missing - self.uncovered)))
        self.uncovered |= missing
        return super().normalize_text(text)

    def direct(self, text: str) -> str:
        """Set the paragraph direction for ``text`` and return it.

        On a left-to-right page every paragraph runs left to right, also one that
        begins with an Arabic name. On a right-to-left page a paragraph runs right to
        left when it has a right-to-left letter; one without (an address, a German
        text shown because its translation is missing) keeps its own order and is
        only aligned right, as ``dir="auto"`` does on the web page.
        """
        if self.rtl:
            direction = "rtl" if has_right_to_left_letter(text) else "ltr"
            self.set_text_shaping(True, direction=direction)
        return text

    def header(self):
        self.set_font(self.family, "B", 10)
        self.set_text_color(32, 68, 170)
        self.cell(
            0, 6, self.direct(settings.OFFICE_NAME), align=self.align, new_x="LMARGIN", new_y="NEXT"
        )
        self.set_draw_color(32, 68, 170)
        self.set_line_width(0.8)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font(self.family, "", 8)
        self.set_text_color(90, 90, 90)
        # The page number sits at the line's end: right in German, left in Arabic.
        text = self.direct(f"{self.footer_text}    {self.page_no()}/{{nb}}")
        self.cell(0, 5, text, align=self.end)

    @property
    def end(self) -> str:
        return "L" if self.rtl else "R"

    def heading(self, text: str, size: int = 16):
        self.set_font(self.family, "B", size)
        self.multi_cell(
            0, size * 0.5, self.direct(text), align=self.align, new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(2)

    def paragraph(self, text: str, size: int = 10, bold: bool = False):
        self.set_font(self.family, "B" if bold else "", size)
        self.multi_cell(
            0, size * 0.5, self.direct(text), align=self.align, new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(1)

    def checkbox(self, text: str, size: int = 10, bold: bool = False):
        """A paragraph with an empty box to tick at its start, drawn rather than a glyph
        (the box character is in few fonts), on the right on a right-to-left page."""
        box, gap = size * 0.32, size * 0.25
        line = size * 0.5
        top = self.get_y()
        if self.will_page_break(line):
            self.add_page()
            top = self.get_y()
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.3)
        box_x = self.w - self.r_margin - box if self.rtl else self.l_margin
        self.rect(box_x, top + (line - box) / 2, box, box)
        self.set_font(self.family, "B" if bold else "", size)
        self.set_xy(self.l_margin if self.rtl else self.l_margin + box + gap, top)
        self.multi_cell(
            self.epw - box - gap,
            line,
            self.direct(text),
            align=self.align,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.ln(1)

    def picture(self, image, width: float):
        """An image at the start of the line (left, or right on a right-to-left page)."""
        x = self.w - self.r_margin - width if self.rtl else self.l_margin
        self.image(image, x=x, w=width)

    def render(self) -> bytes:
        return bytes(self.output())
