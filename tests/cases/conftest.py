import pytest


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Uploaded documents go to a throwaway directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level tests match English messages; pages choose their language by URL."""
    from django.utils import translation

    with translation.override("en"):
        yield
