"""The queue overview, the team lead's steering, and the public ticket page."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.roles import Role, has_role
from willkommen.core import clock
from willkommen.frontdesk import selectors, services
from willkommen.frontdesk.forms import LocationForm, PriorityForm, ReassignForm
from willkommen.frontdesk.views.common import (
    chosen_location,
    form_action,
    lead_view,
    overview_view,
)


@overview_view
def overview(request):
    location = chosen_location(request)
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
    return form_action(
        request,
        [PriorityForm(request.POST)],
        lambda form: services.reprioritise(
            pk,
            actor=request.user,
            priority=form.cleaned_data["priority"],
            reason=form.cleaned_data["reason"],
        ),
        to="frontdesk:overview",
        success=lambda v: (
            _("Priority of %(ticket)s: %(priority)s.")
            % {"ticket": v.ticket, "priority": v.get_priority_display()}
        ),
    )


@lead_view
@require_POST
def reassign(request, pk):
    return form_action(
        request,
        [ReassignForm(request.POST)],
        lambda form: services.reassign(pk, actor=request.user, team=form.cleaned_data["team"]),
        to="frontdesk:overview",
        success=lambda v: (
            _("%(ticket)s is now in the queue of %(team)s.") % {"ticket": v.ticket, "team": v.team}
        ),
    )


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
