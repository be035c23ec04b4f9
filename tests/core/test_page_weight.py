"""The page budget (issue 18): every public page, with what it loads, under 150 KB.

Not timed: the bytes a first visit transfers, counted as nginx sends them (the page and
its style sheets, scripts and icons gzip-compressed, WOFF2 fonts as they are). Of the
fonts only the faces whose `unicode-range` covers a character the page shows in its own
language count (a browser fetches no other), all three weights of each. Lighthouse
measures the same in a real browser (bench/pages.py).
"""

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

BUDGET = 150 * 1024
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/services/aufenthaltserlaubnis-verlaengern/",
    "/{lang}/services/aufenthaltserlaubnis-verlaengern/checklist/",
    "/{lang}/locations/",
    "/{lang}/appointments/",
    "/{lang}/appointments/emergency/",
    "/{lang}/appointments/hauptstelle/aufenthaltserlaubnis-verlaengern/",
    "/{lang}/status/",
    "/{lang}/contact/",
    "/{lang}/privacy/",
    "/{lang}/barrierefreiheit/",
    "/{lang}/leichte-sprache/",
    "/{lang}/gebaerdensprache/",
    "/{lang}/barriere-melden/",
]
STATIC_DIR = Path(finders.find("core/fonts.css")).parent


class Page(HTMLParser):
    """The files a page references and the text it shows in its own language."""

    def __init__(self):
        super().__init__()
        self.language = ""
        self.files: list[str] = []
        self.descriptions: list[str] = []
        self.icons: list[str] = []
        self.text: list[str] = []
        self.foreign: list[str] = []  # open elements, True where another language starts
        self.hidden = 0  # inside <script>/<style>/<title>

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.language = attrs.get("lang", "")
        elif tag == "link" and "stylesheet" in attrs.get("rel", ""):
            self.files.append(attrs["href"])
        elif tag == "link" and "icon" in attrs.get("rel", "").split():
            self.icons.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.files.append(attrs["src"])
        elif tag == "meta" and attrs.get("name") == "description":
            self.descriptions.append(attrs.get("content") or "")
        if tag in ("script", "style", "title"):
            self.hidden += 1
        if tag not in ("meta", "link", "input", "img", "br", "hr", "source"):
            lang = attrs.get("lang")
            self.foreign.append(bool(lang) and lang != self.language and tag != "html")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self.hidden -= 1
        if self.foreign and tag not in ("meta", "link", "input", "img", "br", "hr", "source"):
            self.foreign.pop()

    def handle_data(self, data):
        if not self.hidden and not any(self.foreign):
            self.text.append(data)


def static_file(url: str) -> Path:
    name = url.split("?")[0].removeprefix(settings.STATIC_URL)
    name = re.sub(r"\.[0-9a-f]{12}(\.[A-Za-z0-9]+)$", r"\1", name)  # the manifest's hash
    found = finders.find(name)
    assert found, f"{url} is not a static file"
    return Path(found)


def sent_bytes(path: Path) -> int:
    """What nginx sends: gzip for text (deploy/nginx's gzip_types), fonts and PNGs as they are."""
    content = path.read_bytes()
    if path.suffix in (".css", ".js", ".svg", ".ico", ".json"):
        return len(gzip.compress(content, compresslevel=6))
    return len(content)


def font_faces(css: str) -> list[tuple[str, set[int]]]:
    faces = []
    for block in re.findall(r"@font-face\s*{([^}]*)}", css):
        url = re.search(r'url\("?([^")]+)"?\)', block).group(1)
        ranges = re.search(r"unicode-range:\s*([^;]+);", block).group(1)
        points = set()
        for part in ranges.split(","):
            first, _, last = part.strip().removeprefix("U+").partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
        faces.append((url, points))
    return faces


def page_weight(html: bytes, page: Page) -> tuple[int, dict[str, int]]:
    parts = {"page": len(gzip.compress(html, compresslevel=6))}
    shown = {ord(char) for char in "".join(page.text)}
    for url in page.files:
        path = static_file(url)
        parts[path.name] = sent_bytes(path)
        if path.suffix == ".css":
            for font, points in font_faces(path.read_text()):
                if shown & points:
                    font_path = (path.parent / font.split("?")[0]).resolve()
                    font_path = static_file(
                        settings.STATIC_URL + str(font_path.relative_to(STATIC_DIR.parent))
                    )
                    parts[font_path.name] = sent_bytes(font_path)
    # The browser fetches one icon: the SVG where it can, else the PNG; count the larger.
    parts["icon"] = max(sent_bytes(static_file(url)) for url in page.icons)
    return sum(parts.values()), parts


@pytest.fixture
def bookable_office(demo_catalog):
    from django.core.management import call_command

    call_command("load_demo_booking", verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_stays_under_the_budget(client, bookable_office, language):
    for pattern in PUBLIC_PAGES:
        path = pattern.format(lang=language)
        response = client.get(path)
        assert response.status_code == 200, path
        page = Page()
        page.feed(response.content.decode())
        assert page.language == language, path
        total, parts = page_weight(response.content, page)
        assert total < BUDGET, f"{path}: {total / 1024:.0f} KB ({parts})"
        assert [len(d) > 30 for d in page.descriptions] == [True], (path, page.descriptions)
        assert page.icons, f"{path} links no favicon"


@pytest.mark.django_db
def test_arabic_pages_load_the_arabic_font_and_latin_pages_do_not(client, bookable_office):
    fonts = {}
    for language in ("de", "ar", "ru"):
        response = client.get(f"/{language}/")
        page = Page()
        page.feed(response.content.decode())
        _total, parts = page_weight(response.content, page)
        fonts[language] = {name.split(".")[0] for name in parts if name.endswith(".woff2")}
    assert "fira-sans-400-latin" in fonts["de"]
    assert not any("arabic" in name or "cyrillic" in name for name in fonts["de"])
    assert "noto-sans-arabic-regular" in fonts["ar"]
    assert "fira-sans-400-cyrillic" in fonts["ru"]


@pytest.mark.django_db
def test_pages_name_their_language_versions(client, bookable_office):
    service = "services/aufenthaltserlaubnis-verlaengern/"
    html = client.get(f"/en/{service}").content.decode()
    base = settings.PUBLIC_BASE_URL
    assert f'<link rel="canonical" href="{base}/en/{service}">' in html
    for hreflang in ("de", "ar", "sr-Latn", "x-default"):
        assert f'hreflang="{hreflang}"' in html
    assert f'hreflang="x-default" href="{base}/de/{service}">' in html


def test_the_cut_kern_stylesheet_keeps_every_class_the_templates_use():
    """scripts/purge-css must run again when a template starts using another KERN class."""
    full = Path(finders.find("core/vendor/kern/kern.min.css")).read_text()
    cut = Path(finders.find("core/kern-used.css")).read_text()
    root = Path(__file__).resolve().parents[2] / "src" / "willkommen"
    used = set()
    for template in root.glob("**/templates/**/*.html"):
        used.update(re.findall(r"\b(kern-[a-z0-9_-]*[a-z0-9])\b", template.read_text()))
    missing = [
        name for name in sorted(used)
        if re.search(rf"\.{name}(?![\w-])", full) and not re.search(rf"\.{name}(?![\w-])", cut)
    ]  # fmt: skip
    assert not missing, f"run scripts/purge-css: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Finden Sie das passende Anliegen"),
        ("ar", "اعثر على الخدمة المناسبة"),
        ("uk", "Знайдіть потрібну послугу"),
    ],
)
def test_the_description_speaks_the_language_of_the_page(client, language, text):
    page = Page()
    page.feed(client.get(f"/{language}/").content.decode())
    assert text in page.descriptions[0]
