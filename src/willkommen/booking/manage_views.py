"""The pages behind the personal link of an appointment: manage it, its calendar file and
PDF, cancel it, move it to another time."""

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from willkommen.booking import documents, links, protection, selectors, services
from willkommen.booking.errors import REFUSED, BookingError, InvalidLink
from willkommen.booking.views import SHOWN_DAYS, error_page, local, start_from
from willkommen.catalog.selectors import fees_of
from willkommen.core import clock
from willkommen.core.i18n import tr


def _managed(token):
    try:
        return services.appointment_for_link(token, links.MANAGE)
    except BookingError:
        return None


@require_GET
def manage(request, token):
    appointment = _managed(token)
    if appointment is None:
        return error_page(request, InvalidLink())
    return render(
        request,
        "booking/manage.html",
        {
            "title": _("Your appointment %(reference)s") % {"reference": appointment.reference},
            "appointment": appointment,
            "token": token,
            "new": request.GET.get("new") == "1",
            "starts_at": local(appointment.starts_at, appointment.location),
            "ends_at": local(appointment.ends_at, appointment.location),
            "qr": documents.qr_svg_data_uri(appointment),
            "checklist": documents.checklist_items(appointment),
            "service_name": tr(appointment.service.name),
            # The fees in force on the appointment's day: what to pay when one comes.
            "fees": fees_of(appointment.service, documents.local_start(appointment).date()),
        },
    )


def _download(token, build, filename, content_type):
    appointment = _managed(token)
    if appointment is None:
        raise Http404
    response = HttpResponse(build(appointment), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{appointment.reference}{filename}"'
    return response


@require_GET
def calendar_file(request, token):
    return _download(token, documents.calendar_file, ".ics", "text/calendar; charset=utf-8")


@require_GET
def confirmation_pdf(request, token):
    return _download(token, documents.confirmation_pdf, ".pdf", "application/pdf")


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    appointment = _managed(token)
    if appointment is None:
        return error_page(request, InvalidLink())
    if request.method == "POST":
        protection.check_link_action(request)
        try:
            services.cancel(appointment)
        except REFUSED as error:
            return error_page(request, error)
        return render(
            request,
            "booking/cancelled.html",
            {"title": _("Appointment cancelled"), "appointment": appointment},
        )
    return render(
        request,
        "booking/cancel.html",
        {
            "title": _("Cancel the appointment"),
            "appointment": appointment,
            "token": token,
            "starts_at": local(appointment.starts_at, appointment.location),
        },
    )


@require_http_methods(["GET", "POST"])
def rebook(request, token):
    appointment = _managed(token)
    if appointment is None:
        return error_page(request, InvalidLink())
    location, service, persons = appointment.location, appointment.service, appointment.persons
    if request.method == "POST":
        protection.check_link_action(request)
        starts_at = start_from(request.POST.get("start"), location)
        try:
            moved = services.rebook(appointment, starts_at=starts_at)
        except REFUSED as error:
            return error_page(
                request, error, location=location, service=service, persons=persons, after=starts_at
            )
        return redirect(links.path(moved, links.MANAGE, translation.get_language()) + "?new=1")
    context = {
        "title": _("Choose a new time"),
        "appointment": appointment,
        "token": token,
        "starts_at": local(appointment.starts_at, location),
    }
    chosen = request.GET.get("day")
    if chosen:
        try:
            day = date.fromisoformat(chosen)
        except ValueError:
            raise Http404 from None
        free = selectors.free_times(
            location, service, persons, first_day=day, days=1, channel=appointment.channel
        )
        context.update(
            day=day,
            times=[(local(f.starts_at, location), int(f.starts_at.timestamp())) for f in free],
        )
    else:
        today = clock.local_today(location.timezone)
        counts = selectors.free_days(
            location,
            service,
            persons,
            first_day=today,
            days=SHOWN_DAYS,
            channel=appointment.channel,
        )
        context["days"] = sorted(counts.items())
    return render(request, "booking/rebook.html", context)
