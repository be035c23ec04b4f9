"""The reads of the public pages."""

from willkommen.accessibility.models import SignLanguageVideo, Statement


def current_statement() -> Statement | None:
    """The latest published version; drafts are never shown."""
    return Statement.objects.published().order_by("-version").prefetch_related("parts").first()


def published_videos():
    return SignLanguageVideo.objects.filter(is_published=True).order_by("position", "pk")
