"""Public pages: the online extension behind the invitation link, its receipt, and the
verification page employers and authorities use.

The link's token is the only key to the form; the receipt page afterwards is kept
in the session that submitted it. Every refusal changes nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from willkommen.cases.public_views import SESSION_KEY as UNLOCKED_CASES
from willkommen.cases.services import status_page_link
from willkommen.core import clock, ratelimit
from willkommen.outreach import forms, links, selectors, services
from willkommen.outreach.errors import OutreachError
from willkommen.outreach.letters import applied_text, effect_text
from willkommen.outreach.models import ExtensionApplication

SESSION_KEY = "outreach_receipt"
HOUR = timedelta(hours=1)


def _invalid_link(request):
    return render(
        request,
        "outreach/invalid_link.html",
        {"title": _("This link does not work (any more)")},
        status=400,
    )


def _initial(case):
    person = case.applicant()
    initial = {"email": case.contact_email}
    if person is not None:
        for name in ("given_name", "family_name", "date_of_birth", "nationality"):
            initial[name] = getattr(person, name)
    return initial


def _posted(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@require_http_methods(["GET", "POST"])
def extension(request, token):
    try:
        case_id, expires_on = links.read_token(token)
    except links.InvalidLink:
        return _invalid_link(request)
    case = selectors.invited_case(case_id, expires_on)
    service = selectors.extension_service()
    if case is None or service is None:
        return _invalid_link(request)
    earlier = selectors.application_for_token(case_id, expires_on)
    if earlier is not None:
        return _already_applied(request, earlier)
    form = forms.ExtensionForm(
        *_posted(request), initial=_initial(case), service=service, request=request
    )
    if form.is_valid():  # checks the rate limits, the proof-of-work and every file
        data = form.cleaned_data
        try:
            application = services.apply_for_extension(
                case_id,
                expires_on,
                services.ExtensionRequest(
                    applicant=form.person(),
                    email=data["email"],
                    address_change=data["address_change"].strip(),
                    employment_change=data["employment_change"].strip(),
                    files=form.uploaded_documents(),
                    language=translation.get_language(),
                ),
            )
        except links.InvalidLink:
            return _invalid_link(request)
        except OutreachError as error:
            form.add_error(None, error.message)
        else:
            form.release_held_files()
            request.session[SESSION_KEY] = application.pk
            return redirect("outreach:receipt")
    if form.is_bound:
        form.keep_accepted_files()
    return render(
        request,
        "outreach/extension_form.html",
        {
            "form": form,
            "case": case,
            "expired": case.permit_expires_on < clock.office_today(),
            "booking_link": links.booking_url(service, translation.get_language()),
            "title": _("Apply to extend your residence permit"),
        },
        status=400 if form.errors else 200,
    )


def _already_applied(request, application):
    return render(
        request,
        "outreach/already_applied.html",
        {
            "status_link": status_page_link(application.opened_case),
            "title": _("You have already applied"),
        },
        status=409,
    )


def _receipt_application(request):
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return ExtensionApplication.objects.select_related("opened_case").filter(pk=pk).first()


@require_GET
def receipt(request):
    application = _receipt_application(request)
    if application is None:
        return redirect("catalog:home")
    return render(
        request,
        "outreach/receipt.html",
        {
            "application": application,
            "applied": applied_text(application),
            "effect": effect_text(application),
            "status_link": status_page_link(application.opened_case),
            "title": _("Your application has been received"),
        },
    )


def status_panel(request, case) -> str:
    """The receipt on the status page of the case an online extension opened."""
    application = ExtensionApplication.objects.filter(opened_case=case).first()
    if application is None:
        return ""
    return render_to_string(
        "outreach/status_panel.html",
        {
            "application": application,
            "applied": applied_text(application),
            "effect": effect_text(application),
        },
        request=request,
    )


@require_GET
def status_receipt_pdf(request, reference):
    """The receipt from the status page: only for a case unlocked in this session."""
    application = (
        ExtensionApplication.objects.select_related("opened_case")
        .filter(
            opened_case_id__in=request.session.get(UNLOCKED_CASES, []),
            opened_case__reference=reference,
        )
        .first()
    )
    if application is None:
        return redirect("cases:status_lookup")
    return _pdf_response(application)


@require_GET
def receipt_pdf(request):
    application = _receipt_application(request)
    if application is None:
        return redirect("catalog:home")
    return _pdf_response(application)


def _pdf_response(application):
    response = HttpResponse(bytes(application.receipt_pdf), content_type="application/pdf")
    name = f"Eingangsbestaetigung-{application.opened_case.reference}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def verify(request, code=""):
    """Valid or not, the date of application and the initials: nothing else."""
    code = code or request.GET.get("code", "")
    form = forms.VerifyForm({"code": code} if code else None)
    application, looked_up = None, False
    if form.is_valid():
        ratelimit.enforce(
            "outreach-verify",
            ratelimit.client_ip(request),
            limit=settings.OUTREACH_VERIFICATIONS_PER_ADDRESS_PER_HOUR,
            period=HOUR,
        )
        application = selectors.verified_application(form.cleaned_data["code"])
        looked_up = True
    response = render(
        request,
        "outreach/verify.html",
        {
            "form": form,
            "application": application,
            "looked_up": looked_up,
            "title": _("Check a receipt"),
        },
        status=404 if looked_up and application is None else 200,
    )
    response["Cache-Control"] = "no-store"
    return response
