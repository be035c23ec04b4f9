"""Public pages: the applicant status page and the online forms that open cases.

An applicant unlocks a case with reference + access code, typed or posted: the
link in a mail carries the reference only, and a code put in a URL is ignored
(it would end up in logs and histories). The unlocked case's id is kept in the
session, so the code is not repeated later. Every failure gives one and the same
message.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from willkommen.cases import codes, forms, selectors, services
from willkommen.cases.forecast import forecast_for
from willkommen.cases.models import AccessLogEntry, ContactTopic
from willkommen.cases.uploads import UploadRefused
from willkommen.catalog.models import Service
from willkommen.catalog.selectors import active_locations
from willkommen.core import ratelimit

SESSION_KEY = "cases_unlocked"
SKILLED_WORKER_SERVICE = "beschleunigtes-fachkraefteverfahren"
NATURALISATION_SERVICE = "einbuergerung-unterlagen-einreichen"
HOUR = timedelta(hours=1)


def _generic_failure():
    return _(
        "We could not find a case with this reference and access code. Please check both "
        "and try again."
    )


def _remember(request, case):
    unlocked = [pk for pk in request.session.get(SESSION_KEY, []) if pk != case.pk]
    request.session[SESSION_KEY] = [*unlocked[-4:], case.pk]
    request.session.cycle_key()  # a new session id once a case is unlocked


@require_http_methods(["GET", "POST"])
def status_lookup(request):
    data = request.POST if request.method == "POST" else None
    # The link from a mail names the reference; the code is never taken from a URL.
    initial = {"reference": request.GET.get("reference", "")[:40]}
    form = forms.StatusLookupForm(data, initial=initial)
    failed = False
    if data is not None and form.is_valid():
        case = services.unlock(
            ratelimit.client_ip(request), form.cleaned_data["reference"], form.cleaned_data["code"]
        )
        if case is not None:
            _remember(request, case)
            return redirect("cases:status", case.reference)
        failed = True
        form = forms.StatusLookupForm(initial={"reference": form.cleaned_data["reference"]})
    return render(
        request,
        "cases/status_lookup.html",
        {
            "form": form,
            "failed_message": _generic_failure() if failed else "",
            "title": _("Status of your application"),
        },
        status=400 if (failed or form.errors) else 200,
    )


def _unlocked_case(request, reference):
    reference = codes.normalise_reference(reference)
    for case_id in request.session.get(SESSION_KEY, []):
        case = selectors.applicant_case(case_id)
        if case is not None and case.reference == reference:
            return case
    return None


def unlocked_case(request, reference):
    """The case this session unlocked under ``reference``, else None: for the apps to the
    right (payments) that act on the applicant's case from its status page."""
    return _unlocked_case(request, reference)


@require_http_methods(["GET", "POST"])
def status_page(request, reference):
    case = _unlocked_case(request, reference)
    if case is None:
        return redirect("cases:status_lookup")
    completeness = selectors.completeness(case)
    first_missing = completeness.missing[0].pk if completeness.missing else None
    upload_form = forms.DocumentUploadForm(
        *_posted(request),
        requirements=case.requirements.all(),
        initial={"requirement": first_missing},
    )
    if request.method == "POST":
        ratelimit.enforce(
            "case-applicant-upload",
            str(case.pk),
            limit=settings.CASE_FORM_SUBMISSIONS_PER_HOUR * 3,
            period=HOUR,
        )
        if upload_form.is_valid():
            try:
                document = services.upload_document(
                    case,
                    upload_form.cleaned_data["file"],
                    requirement_id=upload_form.cleaned_data["requirement"],
                    actor=None,
                )
            except (UploadRefused, services.CaseError) as error:
                upload_form.add_error("file", getattr(error, "message", str(error)))
            else:
                messages.success(
                    request,
                    _("Thank you. We have received “%(name)s”.") % {"name": document.original_name},
                )
                return redirect("cases:status", case.reference)
    else:
        services.log_access(case, user=None, action=AccessLogEntry.Action.APPLICANT)
    return render(
        request,
        "cases/status_page.html",
        {
            "case": case,
            "timeline": selectors.applicant_timeline(case),
            "completeness": completeness,
            "forecast": None
            if case.is_closed
            else forecast_for(case.case_type_id, case.urgency, case.difficulty),
            "upload_form": upload_form,
            "locations": active_locations(),
            "interim_certificate_issued": case.interim_certificates.exists(),
            "title": _("Your application %(reference)s") % {"reference": case.reference},
        },
        status=400 if upload_form.errors else 200,
    )


@require_http_methods(["POST"])
def status_leave(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("cases:status_lookup")


def _posted(request):
    """(data, files) of a POST, (None, None) otherwise: an empty POST is still a submission."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _form_service(slug):
    service = Service.objects.active().filter(slug=slug, case_type__is_active=True).first()
    if service is None:
        raise Http404
    return service


def _submitted(request, reference):
    request.session["cases_submitted"] = reference
    return redirect("cases:submitted")


def _application(request, *, slug, form_class, source, intro, title):
    """An online form that opens a case: check everything, then open it in one go."""
    service = _form_service(slug)
    form = form_class(*_posted(request), service=service, request=request)
    # Bound, is_valid checks the rate limits, the proof-of-work and each file (all files
    # are checked before anything is stored).
    if form.is_valid():
        opened = services.open_case(
            service=service,
            language=translation.get_language(),
            source=source,
            files=form.uploaded_documents(),
            **form.case_data(),
        )
        form.release_held_files()
        return _submitted(request, opened.case.reference)
    if form.is_bound:
        form.keep_accepted_files()  # what passed need not be chosen again
    return render(
        request,
        "cases/application_form.html",
        {"form": form, "service": service, "intro": intro, "title": title},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def skilled_worker_form(request):
    return _application(
        request,
        slug=SKILLED_WORKER_SERVICE,
        form_class=forms.SkilledWorkerForm,
        source="form-81a",
        intro=_(
            "As an employer, you can apply here for the accelerated skilled-worker procedure "
            "(§ 81a AufenthG) for a skilled worker who is still abroad. We check the "
            "documents, ask the Federal Employment Agency for its approval and send the "
            "advance approval to the German mission abroad."
        ),
        title=_("Accelerated skilled-worker procedure (§ 81a AufenthG)"),
    )


@require_http_methods(["GET", "POST"])
def naturalisation_form(request):
    return _application(
        request,
        slug=NATURALISATION_SERVICE,
        form_class=forms.NaturalisationForm,
        source="form-naturalisation",
        intro=_(
            "Submit your documents for naturalisation here. You can add missing documents "
            "later on the status page; you will receive the access code by e-mail."
        ),
        title=_("Naturalisation: submit documents"),
    )


@require_http_methods(["GET", "POST"])
def contact_form(request):
    topics = ContactTopic.objects.select_related("team")
    form = forms.ContactForm(
        request.POST if request.method == "POST" else None,
        topics=topics,
        initial={"case_reference": request.GET.get("reference", "")[:20]},
        request=request,
    )
    if form.is_valid():  # unbound on GET; bound, it checks rate limits and proof-of-work
        data = form.cleaned_data
        contact = services.submit_contact_request(
            topic=data["topic"],
            name=data["name"],
            email=data["email"],
            message=data["message"],
            case_reference=data["case_reference"],
            language=translation.get_language(),
        )
        return _submitted(request, contact.reference)
    return render(
        request,
        "cases/contact_form.html",
        {"form": form, "title": _("Write to us")},
        status=400 if form.errors else 200,
    )


def submitted(request):
    reference = request.session.get("cases_submitted")
    if not reference:
        return redirect(reverse("catalog:home"))
    return render(
        request,
        "cases/submitted.html",
        {"reference": reference, "title": _("Thank you")},
    )
