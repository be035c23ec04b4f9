"""The public pages: statement, Leichte Sprache, DGS, the barrier form, the videos."""

from urllib.parse import urlsplit

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from willkommen.accessibility import forms, media, selectors, services
from willkommen.accessibility.models import FEDERAL_CONCILIATION_BODY_URL, SignLanguageVideo
from willkommen.core.i18n import tr


@require_GET
def statement(request):
    return render(
        request,
        "accessibility/statement.html",
        {
            "statement": selectors.current_statement(),
            "federal_body_url": FEDERAL_CONCILIATION_BODY_URL,
            "title": _("Accessibility statement"),
        },
    )


@require_GET
def easy_language(request):
    # The text is German by its nature (Leichte Sprache), whatever the page language.
    return render(request, "accessibility/easy_language.html", {"title": "Leichte Sprache"})


@require_GET
def sign_language(request):
    return render(
        request,
        "accessibility/sign_language.html",
        {"videos": selectors.published_videos(), "title": _("German Sign Language (DGS)")},
    )


def _page_from_referer(request) -> str:
    """The page the reporter came from, if it was one of ours (path only)."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc and referer.netloc != request.get_host():
        return ""
    return referer.path[:500] if referer.path.startswith("/") else ""


@require_http_methods(["GET", "POST"])
def report(request):
    form = forms.BarrierReportForm(
        request.POST if request.method == "POST" else None,
        initial={"page": request.GET.get("page", "")[:500] or _page_from_referer(request)},
        request=request,
    )
    if form.is_valid():  # unbound on GET; bound, it checks the limits and the proof-of-work
        data = form.cleaned_data
        services.submit_report(
            page=data["page"], problem=data["problem"], name=data["name"],
            email=data["email"], phone=data["phone"], language=translation.get_language(),
        )  # fmt: skip
        return redirect("accessibility:report_received")
    return render(
        request,
        "accessibility/report.html",
        {"form": form, "title": _("Report a barrier")},
        status=400 if form.errors else 200,
    )


@require_GET
def report_received(request):
    return render(request, "accessibility/report_received.html", {"title": _("Thank you")})


@require_GET
def legacy_statement(request):
    return redirect(reverse("accessibility:statement"), permanent=True)


def _video(**stored_as) -> SignLanguageVideo:
    return get_object_or_404(SignLanguageVideo, is_published=True, **stored_as)


@require_GET
def video_file(request, name):
    video = _video(file=f"accessibility/videos/{name}")
    download = ""
    if request.GET.get("download"):
        title = "".join(c if c.isalnum() or c in " -_" else " " for c in tr(video.title)).strip()
        download = f"{title or 'video'}.{video.kind}"
    return media.file_answer(request, video.file, video.mime, download_name=download)


@require_GET
def captions_file(request, name):
    video = _video(captions=f"accessibility/captions/{name}")
    return media.file_answer(request, video.captions, "text/vtt; charset=utf-8")
