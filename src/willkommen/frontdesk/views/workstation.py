"""The clerk's workstation: sign in at a counter, call, serve, transfer and finish."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.frontdesk import selectors, services
from willkommen.frontdesk.forms import FinishForm, SignInForm, TransferForm, WorkItemFormSet
from willkommen.frontdesk.views.common import act, clerk_view, form_action, work_lines


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
        act(
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
    act(request, services.sign_out, user=request.user, success=_("Signed out."))
    return redirect("frontdesk:clerk")


@clerk_view
@require_POST
def call_next(request):
    act(
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
    act(request, service_call, pk, user=request.user)
    return redirect("frontdesk:clerk")


@clerk_view
@require_POST
def transfer(request, pk):
    return form_action(
        request,
        [TransferForm(request.POST)],
        lambda form: services.transfer(
            pk, user=request.user, team=form.cleaned_data["team"], note=form.cleaned_data["note"]
        ),
        to="frontdesk:clerk",
        success=lambda v: (
            _("%(ticket)s is now in the queue of %(team)s.") % {"ticket": v.ticket, "team": v.team}
        ),
    )


@clerk_view
@require_POST
def finish(request, pk):
    return form_action(
        request,
        [FinishForm(request.POST), WorkItemFormSet(request.POST, prefix="work")],
        lambda form, work: services.finish(
            pk,
            user=request.user,
            persons_present=form.cleaned_data["persons_present"],
            interim_certificate=form.cleaned_data["interim_certificate"],
            repeat_visit=form.cleaned_data["repeat_visit"],
            work_items=work_lines(work),
        ),
        to="frontdesk:clerk",
        success=lambda v: (
            _("%(ticket)s finished: %(persons)d present, %(items)d work items.")
            % {"ticket": v.ticket, "persons": v.persons_present, "items": v.work_items.count()}
        ),
    )
