"""Pages of the front desk: reception, the clerk's workstation, the overview, tickets."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.permissions import staff_view
from willkommen.accounts.roles import Role, has_role
from willkommen.booking import selectors as booking_selectors
from willkommen.booking.models import Appointment
from willkommen.catalog.models import Location
from willkommen.catalog.selectors import get_location
from willkommen.core import clock
from willkommen.frontdesk import selectors, services, tickets
from willkommen.frontdesk.forms import (
    CheckInSearchForm,
    DocumentCheckForm,
    FinishForm,
    LocationForm,
    PriorityForm,
    ReassignForm,
    ShortMatterForm,
    SignInForm,
    TransferForm,
    WalkInForm,
    WorkItemFormSet,
)
from willkommen.frontdesk.models import Visit
from willkommen.frontdesk.states import TransitionNotAllowed

reception_view = staff_view(Role.RECEPTION, Role.TEAM_LEAD)
clerk_view = staff_view(Role.CLERK, Role.TEAM_LEAD)
overview_view = staff_view(Role.RECEPTION, Role.CLERK, Role.TEAM_LEAD)
lead_view = staff_view(Role.TEAM_LEAD)


def _refusal(exc: Exception) -> str:
    if isinstance(exc, TransitionNotAllowed):
        from willkommen.frontdesk.states import Status

        return _(
            "This is not possible now: the visit is “%(status)s”. The page was out of date; "
            "nothing was changed."
        ) % {"status": Status(exc.status).label}
    return str(exc)


def _act(request, call, *args, success=None, **kwargs):
    """Run one service call; a refusal becomes an error message and changes nothing."""
    try:
        result = call(*args, **kwargs)
    except (services.FrontdeskError, TransitionNotAllowed) as exc:
        messages.error(request, _refusal(exc))
        return None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return result


def _chosen_location(request) -> Location | None:
    """The location from ?location=, else the one chosen earlier this session, else the first."""
    slug = request.GET.get("location") or request.session.get("frontdesk_location")
    location = get_location(slug) if slug else None
    if location is None:
        location = Location.objects.active().first()
    if location is not None:
        request.session["frontdesk_location"] = location.slug
    return location


def _work_lines(formset) -> list[services.WorkItemLine]:
    return [
        services.WorkItemLine(line["service"], line.get("person", ""), line["person_present"])
        for line in formset.lines()
    ]


# --- reception ----------------------------------------------------------------


@reception_view
def reception(request):
    location = _chosen_location(request)
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
    location = _chosen_location(request)
    form = WalkInForm(request.POST, prefix="walkin")
    if location is None or not form.is_valid():
        return _reception_page(request, location, walk_in=form)
    visit = _act(
        request,
        services.issue_ticket,
        location=location,
        service=form.cleaned_data["service"],
        persons_present=form.cleaned_data["persons_present"],
        emergency=form.cleaned_data["emergency"],
        emergency_reason=form.cleaned_data["emergency_reason"],
        actor=request.user,
    )
    if visit is None:
        return redirect("frontdesk:reception")
    return redirect("frontdesk:ticket_print", visit.pk)


@reception_view
@require_POST
def settle(request):
    location = _chosen_location(request)
    form = ShortMatterForm(request.POST, prefix="short")
    work = WorkItemFormSet(request.POST, prefix="work")
    if location is None or not (form.is_valid() and work.is_valid()):
        return _reception_page(request, location, short=form, work=work)
    visit = _act(
        request,
        services.settle_at_reception,
        location=location,
        service=form.cleaned_data["service"],
        persons_present=form.cleaned_data["persons_present"],
        repeat_visit=form.cleaned_data["repeat_visit"],
        work_items=_work_lines(work),
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
    visit = _act(request, services.check_in, appointment=appointment, actor=request.user)
    if visit is None:
        return redirect(reverse("frontdesk:reception") + f"?location={appointment.location.slug}")
    return redirect("frontdesk:ticket_print", visit.pk)


@reception_view
def ticket_print(request, pk):
    visit = get_object_or_404(Visit.objects.select_related("location", "service"), pk=pk)
    return render(
        request,
        "frontdesk/ticket_print.html",
        {
            "visit": visit,
            "title": _("Ticket %(ticket)s") % {"ticket": visit.ticket},
            "qr_svg": tickets.qr_svg(request, visit),
            "ticket_url": tickets.public_url(request, visit),
        },
    )


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
        checked = _act(
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
    _act(
        request,
        services.record_left,
        pk,
        actor=request.user,
        success=lambda v: _("%(ticket)s has left.") % {"ticket": v.ticket},
    )
    return redirect(request.POST.get("next") or "frontdesk:reception")


# --- the clerk's workstation -------------------------------------------------------


@clerk_view
def clerk(request):
    session = services.current_session(request.user)
    if session is None:
        return render(
            request,
            "frontdesk/clerk_sign_in.html",
            {"title": _("Workstation"), "form": SignInForm()},
        )
    current = selectors.current_visits(request.user)
    return render(
        request,
        "frontdesk/clerk.html",
        {
            "title": _("Workstation"),
            "session": session,
            "current": current,
            "queue": list(services.queue_for(session).select_related("service", "team")[:50]),
            "transfer_form": TransferForm(),
            "finish_form": FinishForm(),
            "work_formset": WorkItemFormSet(prefix="work"),
        },
    )


@clerk_view
@require_POST
def sign_in(request):
    form = SignInForm(request.POST)
    if form.is_valid():
        _act(
            request,
            services.sign_in,
            user=request.user,
            counter=form.cleaned_data["counter"],
            success=_("Signed in at %(counter)s.") % {"counter": form.cleaned_data["counter"].name},
        )
        return redirect("frontdesk:clerk")
    return render(
        request,
        "frontdesk/clerk_sign_in.html",
        {"title": _("Workstation"), "form": form},
        status=400,
    )


@clerk_view
@require_POST
def sign_out(request):
    _act(request, services.sign_out, user=request.user, success=_("Signed out."))
    return redirect("frontdesk:clerk")


@clerk_view
@require_POST
def call_next(request):
    _act(
        request,
        services.call_next,
        user=request.user,
        success=lambda v: _("Called %(ticket)s.") % {"ticket": v.ticket},
    )
    return redirect("frontdesk:clerk")


CLERK_ACTIONS = {
    "call": services.call_visit,
    "recall": services.recall,
    "requeue": services.requeue,
    "no_show": services.record_no_show,
    "start": services.start,
    "hold": services.hold,
    "resume": services.resume,
}


@clerk_view
@require_POST
def visit_action(request, pk, action):
    service_call = CLERK_ACTIONS.get(action)
    if service_call is None:
        raise Http404
    _act(request, service_call, pk, user=request.user)
    return redirect("frontdesk:clerk")


@clerk_view
@require_POST
def transfer(request, pk):
    form = TransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the team to transfer to."))
    else:
        _act(
            request,
            services.transfer,
            pk,
            user=request.user,
            team=form.cleaned_data["team"],
            note=form.cleaned_data["note"],
            success=lambda v: (
                _("%(ticket)s is now in the queue of %(team)s.")
                % {"ticket": v.ticket, "team": v.team}
            ),
        )
    return redirect("frontdesk:clerk")


@clerk_view
@require_POST
def finish(request, pk):
    form = FinishForm(request.POST)
    work = WorkItemFormSet(request.POST, prefix="work")
    if form.is_valid() and work.is_valid():
        visit = _act(
            request,
            services.finish,
            pk,
            user=request.user,
            persons_present=form.cleaned_data["persons_present"],
            interim_certificate=form.cleaned_data["interim_certificate"],
            repeat_visit=form.cleaned_data["repeat_visit"],
            work_items=_work_lines(work),
            success=lambda v: (
                _("%(ticket)s finished: %(persons)d present, %(items)d work items.")
                % {"ticket": v.ticket, "persons": v.persons_present, "items": v.work_items.count()}
            ),
        )
        if visit is not None:
            return redirect("frontdesk:clerk")
    else:
        errors = [str(e) for e in work.non_form_errors()]
        errors += [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
        messages.error(request, " ".join(errors) or _("Check the entries."))
    return redirect("frontdesk:clerk")


# --- overview and team lead ------------------------------------------------------


@overview_view
def overview(request):
    location = _chosen_location(request)
    if location is None:
        return render(request, "frontdesk/no_location.html", {"title": _("Queue overview")})
    teams, visits = selectors.overview(location)
    template = (
        "frontdesk/_overview_body.html"
        if request.headers.get("HX-Request")
        else "frontdesk/overview.html"
    )
    return render(
        request,
        template,
        {
            "title": _("Queue overview"),
            "location": location,
            "location_form": LocationForm(initial={"location": location}),
            "teams": teams,
            "visits": visits,
            "totals": selectors.day_totals(location),
            "can_steer": has_role(request.user, Role.TEAM_LEAD),
            "priority_form": PriorityForm(),
            "reassign_form": ReassignForm(),
        },
    )


@lead_view
@require_POST
def reprioritise(request, pk):
    form = PriorityForm(request.POST)
    if form.is_valid():
        _act(
            request,
            services.reprioritise,
            pk,
            actor=request.user,
            priority=form.cleaned_data["priority"],
            reason=form.cleaned_data["reason"],
            success=lambda v: (
                _("Priority of %(ticket)s: %(priority)s.")
                % {"ticket": v.ticket, "priority": v.get_priority_display()}
            ),
        )
    else:
        messages.error(request, " ".join(" ".join(e) for e in form.errors.values()))
    return redirect("frontdesk:overview")


@lead_view
@require_POST
def reassign(request, pk):
    form = ReassignForm(request.POST)
    if form.is_valid():
        _act(
            request,
            services.reassign,
            pk,
            actor=request.user,
            team=form.cleaned_data["team"],
            success=lambda v: (
                _("%(ticket)s is now in the queue of %(team)s.")
                % {"ticket": v.ticket, "team": v.team}
            ),
        )
    return redirect("frontdesk:overview")


# --- public: the ticket page from the QR code -----------------------------------


def ticket_status(request, token):
    visit = selectors.visit_by_token(token)
    if visit is None:
        raise Http404
    template = (
        "frontdesk/_ticket_status.html"
        if request.headers.get("HX-Request")
        else "frontdesk/ticket.html"
    )
    return render(
        request,
        template,
        {
            "title": _("Your ticket %(ticket)s") % {"ticket": visit.ticket},
            "visit": visit,
            "estimate": selectors.estimate_wait(visit),
            "is_today": visit.service_day == clock.local_today(visit.location.timezone),
        },
    )
