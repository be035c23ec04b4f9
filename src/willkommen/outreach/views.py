"""Staff pages of the expiry register: the list per team, pausing and resuming invitations.

Cases come from ``cases.selectors`` (the one access rule); each write is one service call.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from willkommen.accounts.permissions import staff_view
from willkommen.accounts.roles import Role
from willkommen.cases.selectors import case_for_staff
from willkommen.cases.views.common import teams_of
from willkommen.core import clock
from willkommen.outreach import selectors, services
from willkommen.outreach import staff_forms as forms
from willkommen.outreach.errors import OutreachError

register_view = staff_view(Role.CLERK, Role.TEAM_LEAD, Role.ADMIN)


@require_GET
@register_view
def register(request):
    teams = teams_of(request.user)
    form = forms.RegisterFilterForm(request.GET or None, teams=teams)
    team_id, weeks = None, None
    if form.is_valid():
        team_id, weeks = form.cleaned_data["team"], form.cleaned_data["weeks"]
    weeks = weeks or settings.OUTREACH_REGISTER_WEEKS
    today = clock.office_today()
    rows = selectors.register(request.user, team_id=team_id, weeks=weeks, today=today)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The last twelve months, this one included.
    year_ago = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    return render(
        request,
        "outreach/register.html",
        {
            "form": form,
            "page": page,
            "weeks": weeks,
            "today": today,
            "query": query.urlencode(),
            "figures": selectors.monthly_figures(year_ago, today),
            "pause_form": forms.PauseForm(),
            "title": _("Expiry register"),
        },
        status=400 if form.errors else 200,
    )


def _case(request, reference):
    case = case_for_staff(request.user, reference)
    if case is None:
        raise Http404
    return case


@require_POST
@register_view
def pause(request, reference):
    case = _case(request, reference)
    form = forms.PauseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason for the pause."))
        return redirect("outreach:register")
    try:
        services.pause_invitations(case, reason=form.cleaned_data["reason"], actor=request.user)
    except OutreachError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitations for %(ref)s are paused.") % {"ref": case})
    return redirect("outreach:register")


@require_POST
@register_view
def resume(request, reference):
    case = _case(request, reference)
    try:
        services.lift_pause(case, actor=request.user)
    except OutreachError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitations for %(ref)s resume.") % {"ref": case})
    return redirect("outreach:register")
