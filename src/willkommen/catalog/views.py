from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from willkommen.catalog import selectors
from willkommen.catalog.documents import checklist_pdf
from willkommen.catalog.forms import ConditionAnswersForm, ServiceSearchForm
from willkommen.core import clock
from willkommen.core.i18n import tr


@require_safe  # GET and HEAD: monitors and link checkers ask with HEAD
def home(request):
    form = ServiceSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    groups = selectors.find_services(query, translation.get_language()) if not form.errors else []
    return render(
        request,
        "catalog/home.html",
        {"form": form, "query": query, "groups": groups, "title": _("Appointments and services")},
    )


def _service_or_404(slug):
    service = selectors.get_service(slug)
    if service is None:
        raise Http404
    return service


@require_safe
def service_detail(request, slug):
    service = _service_or_404(slug)
    conditions = selectors.conditions_of(service)
    # A question found by the start page's search opens without JavaScript.
    opened = request.GET.get("question", "")
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "items": service.checklist.all(),
            "questions": selectors.questions_of(service),
            "fees": selectors.fees_of(service, clock.office_today()),
            "open_question": int(opened) if opened.isdigit() else None,
            "form": ConditionAnswersForm(conditions=conditions),
            "title": tr(service.name),
        },
    )


def _answered_checklist(request, service):
    form = ConditionAnswersForm(request.GET, conditions=selectors.conditions_of(service))
    answers = form.answers() if form.is_valid() else {}
    return form, selectors.personal_checklist(service, answers)


@require_safe
def personal_checklist(request, slug):
    service = _service_or_404(slug)
    form, checklist = _answered_checklist(request, service)
    return render(
        request,
        "catalog/personal_checklist.html",
        {
            "service": service,
            "form": form,
            "checklist": checklist,
            "query_string": request.GET.urlencode(),
            "title": _("Your checklist: %(service)s") % {"service": tr(service.name)},
        },
        status=200 if form.is_valid() else 400,
    )


@require_safe
def personal_checklist_pdf(request, slug):
    service = _service_or_404(slug)
    form, checklist = _answered_checklist(request, service)
    if not form.is_valid():
        return personal_checklist(request, slug)
    response = HttpResponse(checklist_pdf(service, checklist), content_type="application/pdf")
    filename = f"checklist-{service.slug}-{translation.get_language()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def locations(request):
    return render(
        request,
        "catalog/locations.html",
        {"locations": selectors.active_locations(), "title": _("Locations and opening hours")},
    )
