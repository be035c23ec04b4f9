"""The office's PDF layout: fonts that cover every applicant's name, header, footer."""

from pathlib import Path

from django.conf import settings
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"


class OfficePDF(FPDF):
    """A4 portrait with the office name on top and page numbers below."""

    def __init__(self, title: str, footer_text: str = ""):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font("Noto", "", str(FONT_DIR / "NotoSans-Regular.ttf"))
        self.add_font("Noto", "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
        self.set_title(title)
        self.set_creator("willkommen")
        self.set_author(settings.OFFICE_NAME)
        self.footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(20, 18, 20)
        self.add_page()

    def header(self):
        self.set_font("Noto", "B", 10)
        self.set_text_color(32, 68, 170)
        self.cell(0, 6, settings.OFFICE_NAME, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(32, 68, 170)
        self.set_line_width(0.8)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font("Noto", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.footer_text}    {self.page_no()}/{{nb}}", align="R")

    def heading(self, text: str, size: int = 16):
        self.set_font("Noto", "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def paragraph(self, text: str, size: int = 10, bold: bool = False):
        self.set_font("Noto", "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def render(self) -> bytes:
        return bytes(self.output())
