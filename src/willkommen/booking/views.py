"""Public booking pages: thin views around booking.services and booking.selectors."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from willkommen.booking import links, protection, selectors, services
from willkommen.booking.caching import public_briefly
from willkommen.booking.errors import BookingError, SlotTaken
from willkommen.booking.forms import (
    ApplicantForm,
    EmergencyForm,
    StartForm,
    WindowRegistrationForm,
)
from willkommen.catalog import selectors as catalog
from willkommen.catalog.forms import ConditionAnswersForm
from willkommen.catalog.models import Service
from willkommen.core import clock
from willkommen.core.noscript import FIELD as NOSCRIPT_FIELD

SHOWN_DAYS = 62


def _choice(request, location_slug, service_slug):
    location = catalog.get_location(location_slug)
    service = catalog.get_service(service_slug)
    if location is None or service is None or not service.online_bookable:
        raise Http404
    try:
        persons = int(request.GET.get("persons", "1"))
    except ValueError:
        persons = 0
    if not 1 <= persons <= service.max_persons:
        raise Http404
    return location, service, persons


def start_from(value, location) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise Http404 from None


def local(moment, location):
    return moment.astimezone(ZoneInfo(location.timezone))


def error_page(request, error: BookingError, *, location=None, service=None, persons=1, after=None):
    """The applicant's page for a refused booking, with the next free times if one was taken."""
    alternatives = []
    if isinstance(error, SlotTaken) and location is not None and after is not None:
        alternatives = [
            local(free.starts_at, location)
            for free in selectors.next_free_times(location, service, persons, after=after)
        ]
    return render(
        request,
        "booking/error.html",
        {
            "title": _("The appointment could not be booked"),
            "error": error,
            "location": location,
            "service": service,
            "persons": persons,
            "alternatives": [(moment, int(moment.timestamp())) for moment in alternatives],
        },
        status=error.http_status,
    )


# The checklist answers an applicant gave on the personal checklist page, per service,
# so that the booking (and its mail and PDF) lists what applies to them.
ANSWERS_SESSION_KEY = "booking_checklist_answers"


def _remember_answers(request, service_id) -> None:
    """The link from the personal checklist carries its answers: keep them for the booking."""
    service = Service.objects.public().filter(pk=service_id).first() if service_id else None
    if service is None:
        return
    form = ConditionAnswersForm(request.GET, conditions=catalog.conditions_of(service))
    if form.is_valid() and form.answers():
        remembered = request.session.get(ANSWERS_SESSION_KEY, {})
        request.session[ANSWERS_SESSION_KEY] = {**remembered, str(service.pk): form.answers()}


def _answers_form(request, service):
    """The checklist questions on the details page, answered already if the applicant
    came from their personal checklist; unanswered questions stay open."""
    remembered = request.session.get(ANSWERS_SESSION_KEY, {}).get(str(service.pk), {})
    return ConditionAnswersForm(
        request.POST if request.method == "POST" else None,
        conditions=catalog.conditions_of(service),
        prefix="answer",
        initial={key: "yes" if value else "no" for key, value in remembered.items()},
    )


@require_GET
def start(request):
    if not {"location", "persons"} & set(request.GET):
        # The link from a service's page or checklist (or none): preselect, do not validate.
        service_id = request.GET.get("service")
        _remember_answers(request, service_id if str(service_id).isdigit() else None)
        form = StartForm(initial={"service": service_id})
    else:
        form = StartForm(request.GET)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        url = reverse("booking:days", args=[data["location"].slug, data["service"].slug])
        return redirect(f"{url}?persons={data['persons']}")
    return render(
        request,
        "booking/start.html",
        {
            "form": form,
            "title": _("Book an appointment"),
            "windows": selectors.open_windows(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
@public_briefly
def days(request, location_slug, service_slug):
    location, service, persons = _choice(request, location_slug, service_slug)
    today = clock.local_today(location.timezone)
    counts = selectors.free_days(location, service, persons, first_day=today, days=SHOWN_DAYS)
    return render(
        request,
        "booking/days.html",
        {
            "title": _("Choose a day"),
            "location": location,
            "service": service,
            "persons": persons,
            "days": sorted(counts.items()),
            "minutes": selectors.minutes_for(service, persons),
            "windows": selectors.open_windows().filter(location=location, service=service),
        },
    )


@require_GET
@public_briefly
def times(request, location_slug, service_slug, day):
    location, service, persons = _choice(request, location_slug, service_slug)
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    free = selectors.free_times(location, service, persons, first_day=chosen, days=1)
    return render(
        request,
        "booking/times.html",
        {
            "title": _("Choose a time"),
            "location": location,
            "service": service,
            "persons": persons,
            "day": chosen,
            "times": [
                (local(item.starts_at, location), int(item.starts_at.timestamp())) for item in free
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def details(request, location_slug, service_slug):
    location, service, persons = _choice(request, location_slug, service_slug)
    starts_at = start_from(request.GET.get("start"), location)
    rule = selectors.booking_rule_of(service)
    form = ApplicantForm(request.POST or None, rule=rule)
    answers = _answers_form(request, service)
    context = {
        "answers": answers,
        "title": _("Your details"),
        "location": location,
        "service": service,
        "persons": persons,
        "starts_at": local(starts_at, location),
        "minutes": selectors.minutes_for(service, persons),
        "form": form,
        "altcha": protection.widget_context(request),
    }
    if request.method == "POST":
        if not (form.is_valid() & answers.is_valid()):  # both, so both show their errors
            return render(request, "booking/details.html", context, status=400)
        try:
            protection.check_hold(
                request,
                request.POST.get("altcha", ""),
                form.cleaned_data["email"],
                ticket=request.POST.get(NOSCRIPT_FIELD, ""),
            )
            appointment = services.book(
                location=location,
                service=service,
                persons=persons,
                starts_at=starts_at,
                applicant=form.applicant(),
                language=translation.get_language(),
                checklist_answers=answers.answers(),
            )
        except protection.ChallengeFailed as error:
            form.add_error(None, error.message)
            return render(request, "booking/details.html", context, status=400)
        except BookingError as error:
            return error_page(
                request, error, location=location, service=service, persons=persons, after=starts_at
            )
        return render(
            request,
            "booking/held.html",
            {
                "title": _("Please confirm by e-mail"),
                "appointment": appointment,
                "starts_at": local(appointment.starts_at, location),
                "minutes": protection.hold_minutes(),
            },
        )
    return render(request, "booking/details.html", context)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows what will be confirmed; only the POST confirms (mail scanners follow GETs)."""
    try:
        if request.method == "POST":
            protection.check_link_action(request)
            appointment, newly = services.confirm(token)
            url = links.path(appointment, links.MANAGE, translation.get_language())
            return redirect(url + ("?new=1" if newly else ""))
        appointment = services.appointment_for_link(token, links.CONFIRM)
    except BookingError as error:
        return error_page(request, error)
    return render(
        request,
        "booking/confirm.html",
        {
            "title": _("Confirm your appointment"),
            "appointment": appointment,
            "starts_at": local(appointment.starts_at, appointment.location),
        },
    )


@require_http_methods(["GET", "POST"])
def window(request, pk):
    """Register interest in a request window (instead of racing for the times)."""
    item = selectors.get_window(pk)
    if item is None:
        raise Http404
    form = WindowRegistrationForm(request.POST or None)
    context = {
        "title": _("Register for appointments"),
        "window": item,
        "is_open": item.opens_at <= clock.now() < item.closes_at and item.allocated_at is None,
        "form": form,
        "altcha": protection.widget_context(request),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "booking/window.html", context, status=400)
        data = form.cleaned_data
        try:
            protection.check_hold(
                request,
                request.POST.get("altcha", ""),
                data["email"],
                ticket=request.POST.get(NOSCRIPT_FIELD, ""),
            )
            services.register_interest(
                item,
                applicant=services.Applicant(data["name"], data["email"], data["phone"]),
                permit_expires_on=data["permit_expires_on"],
                language=translation.get_language(),
            )
        except BookingError as error:
            form.add_error(None, error.message)
            return render(request, "booking/window.html", context, status=error.http_status)
        context["registered"] = data["email"]
    return render(request, "booking/window.html", context)


@require_http_methods(["GET", "POST"])
def emergency(request):
    form = EmergencyForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={"service": request.GET.get("service")} if request.method == "GET" else None,
        request=request,
    )
    context = {"title": _("Request an emergency appointment"), "form": form}
    if request.method == "POST":
        if not form.is_valid():
            form.keep_accepted_files()
            return render(request, "booking/emergency.html", context, status=400)
        data = form.cleaned_data
        try:
            services.submit_emergency_request(
                location=data["location"],
                service=data["service"],
                reason=data["reason"],
                permit_expires_on=data["permit_expires_on"],
                applicant=services.Applicant(data["name"], data["email"], data["phone"]),
                message=data["message"],
                attachment=data["attachment"],
                persons=data["persons"],
                language=translation.get_language(),
            )
        except BookingError as error:
            form.add_error(None, error.message)
            form.keep_accepted_files()
            return render(request, "booking/emergency.html", context, status=400)
        form.release_held_files()
        return render(
            request,
            "booking/emergency_received.html",
            {"title": _("Your request has been received"), "email": data["email"]},
        )
    return render(request, "booking/emergency.html", context)
