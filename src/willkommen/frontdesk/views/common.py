"""What the front desk's pages share: who may open them, and the thin-view helpers that
run one service call and turn its refusal into an error message."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from willkommen.accounts.permissions import staff_view
from willkommen.accounts.roles import Role
from willkommen.catalog.models import Location
from willkommen.catalog.selectors import get_location
from willkommen.frontdesk import services
from willkommen.frontdesk.states import Status, TransitionNotAllowed

reception_view = staff_view(Role.RECEPTION, Role.TEAM_LEAD)
clerk_view = staff_view(Role.CLERK, Role.TEAM_LEAD)
overview_view = staff_view(Role.RECEPTION, Role.CLERK, Role.TEAM_LEAD)
lead_view = staff_view(Role.TEAM_LEAD)


def _refusal(exc: Exception) -> str:
    if isinstance(exc, TransitionNotAllowed):
        return _(
            "This is not possible now: the visit is “%(status)s”. The page was out of date; "
            "nothing was changed."
        ) % {"status": Status(exc.status).label}
    return str(exc)


def act(request, call, *args, success=None, **kwargs):
    """Run one service call; a refusal becomes an error message and changes nothing."""
    try:
        result = call(*args, **kwargs)
    except (services.FrontdeskError, TransitionNotAllowed) as exc:
        messages.error(request, _refusal(exc))
        return None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return result


def form_errors(*forms) -> str:
    """The errors of ``forms`` (forms or formsets) as one message for the member of staff."""
    errors = []
    for form in forms:
        if hasattr(form, "non_form_errors"):  # a formset: its own checks across the lines
            errors += [str(error) for error in form.non_form_errors()]
            continue
        for name, field_errors in form.errors.items():
            text = " ".join(field_errors)
            errors.append(f"{form[name].label}: {text}" if name in form.fields else text)
    return " ".join(errors) or _("Check the entries.")


def form_action(request, forms, perform, *, to, success=None):
    """A POST that fills its forms and calls one service (the shape of
    cases.views._form_action): invalid entries or a refusal become an error message and
    change nothing; either way back to the page ``to``."""
    if all([form.is_valid() for form in forms]):  # every form checked, for every message
        act(request, perform, *forms, success=success)
    else:
        messages.error(request, form_errors(*forms))
    return redirect(to)


def chosen_location(request) -> Location | None:
    """The location from ?location=, else the one chosen earlier this session, else the first."""
    slug = request.GET.get("location") or request.session.get("frontdesk_location")
    location = get_location(slug) if slug else None
    if location is None:
        location = Location.objects.active().first()
    if location is not None:
        request.session["frontdesk_location"] = location.slug
    return location


def work_lines(formset) -> list[services.WorkItemLine]:
    return [
        services.WorkItemLine(line["service"], line.get("person", ""), line["person_present"])
        for line in formset.lines()
    ]
