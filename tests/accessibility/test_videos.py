"""The DGS page and its videos: the upload gate, the page with and without videos, serving."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.accessibility.media import CAPTIONS, mp4, webm
from tests.accounts.factories import UserFactory
from willkommen.accessibility import services
from willkommen.accessibility.models import SignLanguageVideo
from willkommen.accounts.roles import Role
from willkommen.core.uploads import UploadRefused
from willkommen.core.uploads.video import check_captions, check_video

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english():
    """The gate's messages are matched in English; pages choose their language by URL."""
    with translation.override("en"):
        yield


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_mp4_and_webm_pass_with_their_duration_and_picture_size():
    checked = check_video(upload("start.mp4", mp4(seconds=125, width=640, height=480)))
    assert (checked.kind, checked.duration_seconds, checked.width, checked.height) == (
        "mp4", 125, 640, 480,
    )  # fmt: skip
    checked = check_video(upload("hilfe.webm", webm(seconds=42.4)))
    assert (checked.kind, checked.duration_seconds, checked.mime) == ("webm", 42, "video/webm")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("video.mp4", b"%PDF-1.7\n" + b"x" * 100, "Only these file types"),
        ("video.mp4", b"just some text, renamed", "Only these file types"),
        ("video.webm", mp4(), "name ends in “.webm”"),
        ("video.mp4", mp4()[:60], "damaged"),
        ("klein.mp4", mp4(width=160, height=120), "at least 320 × 240"),
        ("leer.mp4", b"", "empty"),
    ],
)
def test_what_is_not_a_good_video_is_refused(name, content, message, english):
    with pytest.raises(UploadRefused, match=message):
        check_video(upload(name, content))


def test_a_video_over_the_limit_is_refused(settings, english):
    settings.UPLOAD_VIDEO_MAX_BYTES = 1000
    with pytest.raises(UploadRefused, match="larger than"):
        check_video(upload("gross.mp4", mp4()))


def test_captions_must_be_webvtt(english):
    assert check_captions(upload("untertitel.vtt", CAPTIONS)).display_name == "untertitel.vtt"
    with pytest.raises(UploadRefused, match="WebVTT"):
        check_captions(upload("untertitel.srt", b"1\n00:00:00,000 --> 00:00:01,000\nHallo\n"))


def test_the_dgs_page_works_without_a_video(client):
    body = client.get("/de/gebaerdensprache/").content.decode()
    assert "<video" not in body
    assert "noch keine Videos" in body
    assert 'href="/de/leichte-sprache/"' in body and 'href="/de/barriere-melden/"' in body


def stored_video(**changes):
    video = SignLanguageVideo(**{"title": {"de": "Willkommen", "en": "Welcome"}, **changes})
    services.store_video(
        video,
        check_video(upload("willkommen.mp4", mp4(seconds=95))),
        check_captions(upload("willkommen.vtt", CAPTIONS)),
    )
    return video


def test_the_dgs_page_embeds_the_videos_with_duration_size_and_download(client):
    video = stored_video()
    stored_video(is_published=False, title={"de": "Entwurf"})
    body = client.get("/de/gebaerdensprache/").content.decode()
    assert body.count("<video") == 1 and "Entwurf" not in body
    assert f'src="{video.file_url()}"' in body and 'type="video/mp4"' in body
    assert f'src="{video.captions_url()}"' in body and 'kind="captions"' in body
    assert "Dauer: 1:35 Min." in body
    assert f"{video.file_url()}?download=1" in body
    assert "MP4-Datei, 2,2" in body  # 2.2 KB


def test_videos_are_served_with_their_type_and_ranges(client):
    video = stored_video()
    whole = client.get(video.file_url())
    content = b"".join(whole.streaming_content)
    assert whole["Content-Type"] == "video/mp4" and content == mp4(seconds=95)
    assert whole["Accept-Ranges"] == "bytes"
    part = client.get(video.file_url(), HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 4-11/{len(content)}"
    assert b"".join(part.streaming_content) == content[4:12]
    download = client.get(video.file_url() + "?download=1")
    assert download["Content-Disposition"].startswith('attachment; filename="Willkommen.mp4"')
    captions = client.get(video.captions_url())
    assert captions["Content-Type"] == "text/vtt; charset=utf-8"
    assert client.get(video.file_url(), HTTP_RANGE=f"bytes={len(content)}-").status_code == 416
    video.is_published = False
    video.save()
    assert client.get(video.file_url()).status_code == 404


def test_the_admin_refuses_a_file_that_is_not_a_video(client):
    client.force_login(UserFactory(roles=[Role.ADMIN], is_staff=True))
    form = {
        "title_0": "Willkommen", "description_0": "", "position": 0, "is_published": "on",
        "file": upload("willkommen.mp4", b"%PDF-1.7 not a video"),
    }  # fmt: skip
    refused = client.post("/admin/accessibility/signlanguagevideo/add/", form)
    assert refused.status_code == 200  # the admin speaks German here
    assert "Nur diese Dateitypen werden angenommen: MP4, WebM." in refused.content.decode()
    assert not SignLanguageVideo.objects.exists()
    form["file"] = upload("willkommen.webm", webm(seconds=61))
    accepted = client.post("/admin/accessibility/signlanguagevideo/add/", form)
    assert accepted.status_code == 302
    video = SignLanguageVideo.objects.get()
    assert (video.kind, video.duration_seconds, video.size_bytes) == (
        "webm",
        61,
        len(webm(seconds=61)),
    )
