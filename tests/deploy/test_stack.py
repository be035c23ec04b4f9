"""The production set-up, started as it ships: nginx (deploy/nginx/) in front of
gunicorn (deploy/gunicorn.conf.py) and uvicorn, on the SQLite test database."""

import functools
import json
import secrets
import time

import httpx
import pytest
import stack

from tests.frontdesk.asgi_server import database_url_for_subprocess
from willkommen.catalog.models import Location

pytestmark = pytest.mark.django_db(transaction=True)

# A fresh gunicorn worker imports the URL configuration and views on its first request,
# which on a busy test machine takes seconds.
get = functools.partial(httpx.get, timeout=30)
post = functools.partial(httpx.post, timeout=30)


@pytest.fixture
def running(nginx, tmp_path):
    Location.objects.create(
        slug="rathaus", name={"de": "Rathaus"}, street="Markt 1", postcode="91052",
        city="Erlangen", state="BY",
    )  # fmt: skip
    env = {
        "DATABASE_URL": database_url_for_subprocess(),
        "DJANGO_SETTINGS_MODULE": "tests.deploy.probe_settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "RATE_LIMITS_ENABLED": "false",
        "WILLKOMMEN_VAR_DIR": str(tmp_path / "var"),
    }
    setup = stack.Stack(env, web_workers=2, directory=tmp_path / "stack")
    setup.directory.mkdir()
    setup.collectstatic()
    with setup:
        yield setup


def test_pages_come_from_gunicorn_and_static_files_from_nginx(running):
    page = get(f"{running.url}/de/")
    assert page.status_code == 200
    assert "gunicorn" not in page.headers.get("server", "")
    assert page.headers["x-cache-status"] == "MISS"  # asked for, not cacheable
    assert get(f"{running.url}/de/").headers["x-cache-status"] != "HIT"

    css = get(f"{running.url}/static/core/willkommen.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    # nginx's headers, not the application's: no cache status, its Cache-Control
    assert "x-cache-status" not in css.headers
    assert css.headers["cache-control"] == "public, max-age=3600"
    manifest = (running.var_dir / "static" / "staticfiles.json").read_text()
    hashed = json.loads(manifest)["paths"]["core/willkommen.css"]
    immutable = get(f"{running.url}/static/{hashed}")
    assert immutable.status_code == 200 and immutable.content == css.content
    assert "immutable" in immutable.headers["cache-control"]


def test_a_public_answer_is_cached_for_its_max_age(running):
    first = get(f"{running.url}/probe/public")
    second = get(f"{running.url}/probe/public")
    assert first.headers["x-cache-status"] == "MISS"
    assert second.headers["x-cache-status"] == "HIT"
    assert second.text == first.text  # the application did not run again
    time.sleep(2.1)  # nginx counts in whole seconds: max-age=1 lasts one to two
    later = get(f"{running.url}/probe/public")
    assert later.headers["x-cache-status"] != "HIT" and later.text != first.text


def test_an_expired_answer_that_allows_it_is_served_stale_while_one_request_renews_it(running):
    first = get(f"{running.url}/probe/stale")
    time.sleep(2.1)  # expired: max-age=1 in whole seconds
    stale = get(f"{running.url}/probe/stale")
    assert stale.headers["x-cache-status"] == "STALE" and stale.text == first.text
    # The renewal ran in the background; the next request gets its answer.
    for _ in range(50):
        renewed = get(f"{running.url}/probe/stale")
        if renewed.text != first.text:
            break
        time.sleep(0.1)
    assert renewed.text != first.text and renewed.headers["x-cache-status"] == "HIT"


@pytest.mark.parametrize("kind", ["public-cookie", "private", "plain"])
def test_answers_with_a_cookie_private_ones_and_undeclared_ones_are_never_cached(running, kind):
    bodies = {get(f"{running.url}/probe/{kind}").text for _ in range(3)}
    assert len(bodies) == 3


def test_posts_are_never_answered_from_the_cache(running):
    get(f"{running.url}/probe/public")  # a cached GET of the same address
    posts = [post(f"{running.url}/probe/public") for _ in range(2)]
    assert all(post.status_code == 200 for post in posts)
    assert all(post.headers.get("x-cache-status") != "HIT" for post in posts)
    assert posts[0].text != posts[1].text


def test_the_display_stream_goes_to_uvicorn_unbuffered(running):
    """Through gunicorn the view would answer once and close (it cannot hold a worker);
    through uvicorn the stream stays open, and nginx passes its first line at once."""
    # Long enough for a busy machine, shorter than the stream's 15 s keep-alive line.
    timeout = httpx.Timeout(30, read=10)
    with (
        httpx.Client(timeout=timeout) as client,
        client.stream("GET", f"{running.url}/de/display/rathaus/events") as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = response.iter_lines()
        assert next(lines).startswith("retry:")
        assert next(lines) == ""
        with pytest.raises(httpx.ReadTimeout):  # open, waiting for calls
            next(lines)


def test_text_goes_out_compressed_and_hashed_files_are_kept_for_a_year(running):
    """The page budget counts style sheets gzip-compressed, as nginx sends them."""
    manifest = json.loads((running.var_dir / "static" / "staticfiles.json").read_text())["paths"]
    css = get(f"{running.url}/static/{manifest['core/kern-used.css']}")
    assert css.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in css.headers["vary"]
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"
    font = get(f"{running.url}/static/{manifest['core/fonts/fira-sans-400-latin.woff2']}")
    assert font.status_code == 200 and "content-encoding" not in font.headers  # WOFF2 is
    assert "immutable" in font.headers["cache-control"]
    # fonts.css names the fonts by their hashed names (the manifest rewrites url()).
    fonts_css = get(f"{running.url}/static/{manifest['core/fonts.css']}").text
    assert manifest["core/fonts/fira-sans-400-latin.woff2"].removeprefix("core/") in fonts_css
