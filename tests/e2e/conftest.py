"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a person uses gets a test here and an axe-core check (``assert_accessible``).
Without Chromium these tests skip, unless CI=true, where they fail.
"""

import json
import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ", and CI=true requires the browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by
    # fixtures in the same thread are safe because nothing else runs in it. Only
    # for the browser tests, never for the rest of the suite.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts (one per person: applicant, clerk, display)."""
    contexts = []

    def open_page(locale="de-DE", java_script=True):
        # bypass_csp: axe-core is injected as an inline script; the app itself stays strict.
        # java_script=False: a browser that runs no script of the page (every public flow
        # must work so); Playwright's own evaluation, and so axe-core, still runs.
        context = browser.new_context(
            locale=locale, bypass_csp=True, java_script_enabled=java_script
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.scriptless = not java_script
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def _scriptless_copy(page):
    """The page as a browser without JavaScript shows it, in a page that can run axe-core.

    axe-core needs timers, which a page without JavaScript never fires. So the same
    markup, without its scripts and with ``<noscript>`` shown as such a browser shows
    it, is served at the same address (same styles) to a page that runs axe only.
    """
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
    html = html.replace("<noscript>", "<div data-noscript>").replace("</noscript>", "</div>")
    context = page.context.browser.new_context(bypass_csp=True)
    copy = context.new_page()
    target = page.url
    copy.route(
        lambda url: url == target,
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
    )
    copy.goto(target)
    return context, copy


def assert_accessible(page, context_note=""):
    """Run axe-core on the page; fail on any serious or critical violation."""
    if getattr(page, "scriptless", False):
        context, copy = _scriptless_copy(page)
        try:
            return assert_accessible(copy, context_note + " (without JavaScript)")
        finally:
            context.close()
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    summary = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in bad
    ]  # fmt: skip
    assert not bad, f"axe violations on {page.url} {context_note}:\n" + json.dumps(
        summary, indent=2
    )
