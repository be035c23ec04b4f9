"""Staff pages of booking: day plan, appointment detail, booking on behalf, emergency triage."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from willkommen.accounts.permissions import staff_view
from willkommen.accounts.roles import Role
from willkommen.booking import documents, selectors, services
from willkommen.booking.errors import REFUSED
from willkommen.booking.forms import (
    DayPlanForm,
    PlanForm,
    PreparationTaskForm,
    RejectForm,
    StaffApplicantForm,
    StartForm,
)
from willkommen.booking.models import Appointment, Channel, EmergencyRequest, PreparationTask
from willkommen.booking.views import local
from willkommen.catalog.models import Location
from willkommen.core import clock

PLANNERS = (Role.RECEPTION, Role.CLERK, Role.TEAM_LEAD)
TRIAGE = (Role.RECEPTION, Role.TEAM_LEAD)


@staff_view(*PLANNERS)
@require_GET
def day_plan(request):
    form = DayPlanForm(request.GET or None)
    location = day = team = None
    if form.is_bound and form.is_valid():
        location, day, team = (form.cleaned_data[k] for k in ("location", "day", "team"))
    location = location or Location.objects.active().first()
    if location is None:
        return render(
            request, "booking/staff/day_plan.html", {"form": form, "title": _("Day plan")}
        )
    day = day or clock.local_today(location.timezone)
    clerk = request.user if request.GET.get("mine") == "1" else None
    appointments = selectors.appointments_of_day(
        location, day, team=team, clerk=clerk
    ).prefetch_related("preparation_tasks")
    rows = [
        (appointment, local(appointment.starts_at, location), local(appointment.ends_at, location))
        for appointment in appointments
    ]
    return render(
        request,
        "booking/staff/day_plan.html",
        {
            "title": _("Day plan"),
            "form": form,
            "location": location,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "rows": rows,
            "persons": sum(a.persons for a, _s, _e in rows),
            "mine": clerk is not None,
            "overdue": selectors.overdue_emergency_requests().count(),
        },
    )


def _appointment(pk):
    return get_object_or_404(
        Appointment.objects.select_related("location", "service", "service__team", "clerk"), pk=pk
    )


@staff_view(*PLANNERS)
@require_GET
def appointment_detail(request, pk):
    appointment = _appointment(pk)
    return render(
        request,
        "booking/staff/appointment.html",
        _detail_context(appointment),
    )


def _detail_context(appointment, **extra):
    location = appointment.location
    context = {
        "title": _("Appointment %(reference)s") % {"reference": appointment.reference},
        "appointment": appointment,
        "starts_at": local(appointment.starts_at, location),
        "ends_at": local(appointment.ends_at, location),
        "events": appointment.events.select_related("actor"),
        "tasks": appointment.preparation_tasks.select_related("done_by"),
        "checklist": documents.checklist_items(appointment),
        "plan_form": PlanForm(
            initial={"clerk": appointment.clerk, "staff_note": appointment.staff_note}
        ),
        "task_form": PreparationTaskForm(),
    }
    context.update(extra)
    return context


@staff_view(*PLANNERS)
@require_POST
def plan(request, pk):
    appointment = _appointment(pk)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "booking/staff/appointment.html",
            _detail_context(appointment, plan_form=form),
            status=400,
        )
    services.plan_appointment(
        appointment, clerk=form.cleaned_data["clerk"], staff_note=form.cleaned_data["staff_note"]
    )
    messages.success(request, _("Saved."))
    return redirect("booking_staff:appointment", pk=pk)


@staff_view(*PLANNERS)
@require_POST
def add_task(request, pk):
    appointment = _appointment(pk)
    form = PreparationTaskForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "booking/staff/appointment.html",
            _detail_context(appointment, task_form=form),
            status=400,
        )
    try:
        services.add_preparation_task(
            appointment, title=form.cleaned_data["title"], actor=request.user
        )
    except REFUSED as error:
        form.add_error("title", error.message)
        return render(
            request,
            "booking/staff/appointment.html",
            _detail_context(appointment, task_form=form),
            status=400,
        )
    return redirect("booking_staff:appointment", pk=pk)


@staff_view(*PLANNERS)
@require_POST
def toggle_task(request, pk, task_pk):
    task = get_object_or_404(PreparationTask, pk=task_pk, appointment_id=pk)
    services.set_preparation_task_done(
        task, done=request.POST.get("done") == "1", actor=request.user
    )
    return redirect("booking_staff:appointment", pk=pk)


@staff_view(*PLANNERS)
@require_POST
def staff_cancel(request, pk):
    appointment = _appointment(pk)
    try:
        services.cancel(appointment, actor=request.user, note=request.POST.get("note", "")[:500])
    except REFUSED as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The appointment is cancelled; the applicant gets an e-mail."))
    return redirect("booking_staff:appointment", pk=pk)


def _stamp(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _free_for_staff(location, service, persons, day, channel):
    free = selectors.free_times(location, service, persons, first_day=day, days=1, channel=channel)
    return [(local(item.starts_at, location), int(item.starts_at.timestamp())) for item in free]


@staff_view(*PLANNERS)
@require_http_methods(["GET", "POST"])
def staff_move(request, pk):
    appointment = _appointment(pk)
    location = appointment.location
    day = _day(request.GET.get("day"), location)
    if request.method == "POST":
        starts_at = _stamp(request.POST.get("start"))
        if starts_at is None:
            raise Http404
        try:
            services.rebook(appointment, starts_at=starts_at, actor=request.user)
        except REFUSED as error:
            messages.error(request, error.message)
            return redirect(reverse("booking_staff:move", args=[pk]) + f"?day={day.isoformat()}")
        messages.success(request, _("The appointment is moved; the applicant gets an e-mail."))
        return redirect("booking_staff:appointment", pk=pk)
    return render(
        request,
        "booking/staff/move.html",
        {
            "title": _("Move appointment %(reference)s") % {"reference": appointment.reference},
            "appointment": appointment,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "times": _free_for_staff(
                location, appointment.service, appointment.persons, day, appointment.channel
            ),
        },
    )


def _without_day(query) -> str:
    """The query string without ``day``, ending in "&", for the day navigation links."""
    rest = query.copy()
    rest.pop("day", None)
    return rest.urlencode() + "&" if rest else ""


def _day(value, location) -> date:
    try:
        return date.fromisoformat(value) if value else clock.local_today(location.timezone)
    except ValueError:
        raise Http404 from None


@staff_view(*PLANNERS)
@require_http_methods(["GET", "POST"])
def staff_book(request):
    """Book on behalf of an applicant (phone), from the staff share of capacity."""
    choice = StartForm(request.GET or None)
    choice.fields["service"].queryset = choice.fields["service"].queryset.model.objects.public()
    context = {"title": _("Book on behalf of an applicant"), "choice": choice}
    if not (request.GET and choice.is_valid()):
        return render(
            request, "booking/staff/book.html", context, status=400 if request.GET else 200
        )
    location, service, persons = (
        choice.cleaned_data[k] for k in ("location", "service", "persons")
    )
    day = _day(request.GET.get("day"), location)
    form = StaffApplicantForm(request.POST or None, rule=selectors.booking_rule_of(service))
    context.update(
        location=location, service=service, persons=persons, day=day, form=form,
        previous_day=day - timedelta(days=1), next_day=day + timedelta(days=1),
        times=_free_for_staff(location, service, persons, day, Channel.STAFF),
        query=request.GET.urlencode(),
        query_prefix=_without_day(request.GET),
    )  # fmt: skip
    if request.method == "POST":
        starts_at = _stamp(request.POST.get("start"))
        if starts_at is None:
            form.add_error(None, _("Please choose a time."))
        if not form.is_valid():
            return render(request, "booking/staff/book.html", context, status=400)
        try:
            appointment = services.book(
                location=location, service=service, persons=persons, starts_at=starts_at,
                applicant=form.applicant(), channel=Channel.STAFF, actor=request.user,
                language=request.POST.get("language", "de")[:2],
            )  # fmt: skip
        except REFUSED as error:
            form.add_error(None, error.message)
            return render(request, "booking/staff/book.html", context, status=error.http_status)
        messages.success(
            request,
            _("Booked: %(reference)s. Tell the applicant the booking reference.")
            % {"reference": appointment.reference},
        )
        return redirect("booking_staff:appointment", pk=appointment.pk)
    return render(request, "booking/staff/book.html", context)


@staff_view(*TRIAGE)
@require_GET
def triage(request):
    requests = selectors.open_emergency_requests()
    overdue_before = selectors.triage_deadline()
    return render(
        request,
        "booking/staff/triage.html",
        {
            "title": _("Emergency requests"),
            "requests": [(item, item.created_at < overdue_before) for item in requests],
            "recent": selectors.handled_emergency_requests()[:20],
        },
    )


@staff_view(*TRIAGE)
@require_http_methods(["GET", "POST"])
def triage_request(request, pk):
    emergency = get_object_or_404(
        EmergencyRequest.objects.select_related("location", "service"), pk=pk
    )
    location = emergency.location
    day = _day(request.GET.get("day"), location)
    reject_form = RejectForm(request.POST if request.POST.get("decision") == "reject" else None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "accept":
                starts_at = _stamp(request.POST.get("start"))
                if starts_at is None:
                    raise services.InvalidRequest(_("Please choose a time."))
                appointment = services.accept_emergency_request(
                    emergency, starts_at=starts_at, actor=request.user
                )
                messages.success(
                    request,
                    _("Appointment %(reference)s booked; the applicant gets an e-mail.")
                    % {"reference": appointment.reference},
                )
                return redirect("booking_staff:triage")
            if reject_form.is_valid():
                services.reject_emergency_request(
                    emergency, reason=reject_form.cleaned_data["reason"], actor=request.user
                )
                messages.success(
                    request, _("Rejected; the applicant gets an e-mail with the reason.")
                )
                return redirect("booking_staff:triage")
        except REFUSED as error:
            messages.error(request, error.message)
            return redirect(
                reverse("booking_staff:triage_request", args=[pk]) + f"?day={day.isoformat()}"
            )
    return render(
        request,
        "booking/staff/triage_request.html",
        {
            "title": _("Emergency request"),
            "item": emergency,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "times": _free_for_staff(
                location, emergency.service, emergency.persons, day, Channel.EMERGENCY
            ),
            "reject_form": reject_form,
        },
        status=400 if reject_form.is_bound and not reject_form.is_valid() else 200,
    )


@staff_view(*TRIAGE)
@require_GET
def triage_attachment(request, pk):
    """The uploaded document of a request, for triage staff only (never served statically)."""
    emergency = get_object_or_404(EmergencyRequest, pk=pk)
    if not emergency.attachment:
        raise Http404
    suffix = Path(emergency.attachment.name).suffix
    return FileResponse(
        emergency.attachment.open("rb"), as_attachment=True, filename=f"notfall-{pk}{suffix}"
    )
