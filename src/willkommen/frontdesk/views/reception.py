"""Reception: the desk's page, walk-in tickets, check-in, short matters, documents, left."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.booking import selectors as booking_selectors
from willkommen.booking.models import Appointment
from willkommen.core import clock
from willkommen.core.i18n import language_choices, supported_language
from willkommen.frontdesk import selectors, services, tickets
from willkommen.frontdesk.forms import (
    CheckInSearchForm,
    DocumentCheckForm,
    LocationForm,
    ShortMatterForm,
    WalkInForm,
    WorkItemFormSet,
)
from willkommen.frontdesk.models import Visit
from willkommen.frontdesk.views.common import act, chosen_location, reception_view, work_lines


@reception_view
def reception(request):
    location = chosen_location(request)
    if location is None:
        return render(request, "frontdesk/no_location.html", {"title": _("Reception")})
    return _reception_page(request, location)


def _reception_page(request, location, *, walk_in=None, short=None, work=None, search=None):
    search = search or CheckInSearchForm(request.GET or None if "query" in request.GET else None)
    found = []
    if search.is_bound and search.is_valid():
        found = _search_appointments(location, search.cleaned_data)
    status = 400 if any(f is not None and f.errors for f in (walk_in, short)) else 200
    if work is not None and work.non_form_errors():
        status = 400
    now = clock.now()
    return render(
        request,
        "frontdesk/reception.html",
        {
            "title": _("Reception"),
            "location": location,
            "location_form": LocationForm(initial={"location": location}),
            "walk_in_form": walk_in or WalkInForm(prefix="walkin"),
            "short_form": short or ShortMatterForm(prefix="short"),
            "work_formset": work or WorkItemFormSet(prefix="work"),
            "search_form": search,
            "found": [(a, selectors.arrival_minutes(a, now)) for a in found],
            "visits": selectors.visits_of_today(location),
        },
        status=status,
    )


def _search_appointments(location, data) -> list[Appointment]:
    query = data["query"].strip()
    by_reference = booking_selectors.appointment_by_reference(query)
    if by_reference is not None:
        return [by_reference]
    day = data.get("day") or clock.local_today(location.timezone)
    return list(
        booking_selectors.appointments_of_day(location, day).filter(
            applicant_name__icontains=query
        )[:20]
    )


@reception_view
@require_POST
def issue_ticket(request):
    location = chosen_location(request)
    form = WalkInForm(request.POST, prefix="walkin")
    if location is None or not form.is_valid():
        return _reception_page(request, location, walk_in=form)
    visit = act(
        request,
        services.issue_ticket,
        location=location,
        service=form.cleaned_data["service"],
        persons_present=form.cleaned_data["persons_present"],
        emergency=form.cleaned_data["emergency"],
        emergency_reason=form.cleaned_data["emergency_reason"],
        language=form.cleaned_data["language"],
        actor=request.user,
    )
    if visit is None:
        return redirect("frontdesk:reception")
    return redirect("frontdesk:ticket_print", visit.pk)


@reception_view
@require_POST
def settle(request):
    location = chosen_location(request)
    form = ShortMatterForm(request.POST, prefix="short")
    work = WorkItemFormSet(request.POST, prefix="work")
    if location is None or not (form.is_valid() and work.is_valid()):
        return _reception_page(request, location, short=form, work=work)
    visit = act(
        request,
        services.settle_at_reception,
        location=location,
        service=form.cleaned_data["service"],
        persons_present=form.cleaned_data["persons_present"],
        repeat_visit=form.cleaned_data["repeat_visit"],
        work_items=work_lines(work),
        actor=request.user,
        success=lambda v: (
            _("Settled at reception: %(ticket)s, %(count)d work items.")
            % {"ticket": v.ticket, "count": v.work_items.count()}
        ),
    )
    return (
        redirect("frontdesk:reception")
        if visit
        else _reception_page(request, location, short=form, work=work)
    )


@reception_view
@require_POST
def check_in(request, appointment_id):
    appointment = get_object_or_404(Appointment, pk=appointment_id)
    visit = act(request, services.check_in, appointment=appointment, actor=request.user)
    if visit is None:
        return redirect(reverse("frontdesk:reception") + f"?location={appointment.location.slug}")
    return redirect("frontdesk:ticket_print", visit.pk)


@reception_view
def ticket_print(request, pk):
    """The ticket sheet, in the visit's language or the one asked for (``?lang=``)."""
    visit = get_object_or_404(Visit.objects.select_related("location", "service"), pk=pk)
    language = supported_language(request.GET.get("lang")) or visit.language
    return render(
        request,
        "frontdesk/ticket_print.html",
        {
            "visit": visit,
            "title": _("Ticket %(ticket)s") % {"ticket": visit.ticket},
            "ticket_language": language,
            "ticket_direction": "rtl" if language in settings.LANGUAGES_BIDI else "ltr",
            "languages": language_choices(),
            "qr_svg": tickets.qr_svg(request, visit, language),
            "ticket_url": tickets.public_url(request, visit, language),
        },
    )


@reception_view
def ticket_pdf(request, pk):
    """The ticket as PDF in the language the desk picks (``?lang=``), for the applicant."""
    visit = get_object_or_404(Visit.objects.select_related("location", "service"), pk=pk)
    pdf = tickets.ticket_pdf(visit, supported_language(request.GET.get("lang")))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ticket-{visit.ticket}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@reception_view
def documents(request, pk):
    visit = get_object_or_404(Visit.objects.select_related("service", "location"), pk=pk)
    items = list(visit.service.checklist.select_related("condition"))
    missing = {entry["id"] for entry in visit.missing_documents}
    initial = (
        {f"item_{item.pk}": item.pk not in missing for item in items}
        if visit.documents_checked_at
        else {}
    )
    form = DocumentCheckForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        checked = act(
            request,
            services.record_document_check,
            visit.pk,
            present_item_ids=form.present_ids(),
            actor=request.user,
            success=lambda v: (
                _("Documents checked: %(count)d missing.") % {"count": len(v.missing_documents)}
            ),
        )
        if checked is not None:
            return redirect("frontdesk:reception")
    return render(
        request,
        "frontdesk/documents.html",
        {
            "visit": visit,
            "form": form,
            "title": _("Check documents of %(ticket)s") % {"ticket": visit.ticket},
        },
    )


@reception_view
@require_POST
def left(request, pk):
    act(
        request,
        services.record_left,
        pk,
        actor=request.user,
        success=lambda v: _("%(ticket)s has left.") % {"ticket": v.ticket},
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("frontdesk:reception")
    return redirect(target)
