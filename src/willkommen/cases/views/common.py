"""What every staff page of a case shares: the access check, the page's context, refusals."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from willkommen.accounts.permissions import staff_view
from willkommen.cases import forms, selectors, services, transitions
from willkommen.cases.forecast import forecast_for
from willkommen.core import clock

case_view = staff_view(*selectors.CASE_ROLES)


def teams_of(user):
    from willkommen.accounts.models import Team

    if selectors.is_case_admin(user):
        return Team.objects.filter(is_active=True)
    return user.teams.filter(is_active=True)


def case_or_404(request, reference):
    case = selectors.case_for_staff(request.user, reference)
    if case is None:
        # The same answer for "no such case" and "not yours": references are not secret,
        # but whether a case exists in another team is nobody else's business.
        raise Http404
    return case


def detail_context(request, case, **forms_with_errors):
    user = request.user
    statuses = list(case.case_type.statuses.all())
    targets = transitions.allowed_targets(case.status, statuses)
    history = list(case.history.all())
    since = history[-1].changed_at if history else case.opened_at
    today = clock.office_today()
    context = {
        "case": case,
        "title": case.reference,
        "days_in_status": (clock.now() - since).days,
        "today": today,
        "permit_warning": selectors.permit_warning(case, today),
        "forecast": forecast_for(case.case_type_id, case.urgency, case.difficulty),
        "completeness": selectors.completeness(case),
        "status_form": forms.StatusChangeForm(
            targets=targets, initial={"expected_status": case.status_id}
        ),
        "classification_form": forms.ClassificationForm(
            initial={
                "urgency": case.urgency,
                "difficulty": case.difficulty,
                "language": case.language,
            }
        ),
        "note_form": forms.NoteForm(),
        "family_form": forms.FamilyMemberForm(),
        "agency_form": forms.AgencyRequestForm(),
        "answer_form": forms.AgencyAnswerForm(),
        "certificate_form": forms.InterimCertificateForm(),
        "upload_form": forms.DocumentUploadForm(requirements=case.requirements.all()),
        "can_reassign": selectors.can_reassign(user),
        "can_take": case.clerk_id != user.pk,
        "access_log": selectors.access_log(case) if selectors.can_see_access_log(user) else None,
        "documents": case.documents.all(),
    }
    if context["can_reassign"]:
        context["assign_form"] = forms.AssignForm(
            teams=teams_of(user), initial={"team": case.team_id, "clerk": case.clerk_id}
        )
    context.update(forms_with_errors)
    return context


def invalid(request, case, **form):
    """Show the case again with the form's errors, status 400, nothing changed."""
    messages.error(request, _("Nothing was changed. Please correct the marked fields."))
    return render(
        request, "cases/case_detail.html", detail_context(request, case, **form), status=400
    )


def refused(request, case, error):
    messages.error(request, str(error.message))
    return redirect("cases:detail", case.reference)


def form_action(request, case, form_class, form_name, perform, success):
    """A POST that fills one form and calls one service: errors → the page again (400)."""
    form = form_class(request.POST)
    if not form.is_valid():
        return invalid(request, case, **{form_name: form})
    try:
        perform(form)
    except services.REFUSED as error:
        return refused(request, case, error)
    messages.success(request, success)
    return redirect("cases:detail", case.reference)


def show_access_code(request, case, code, title):
    """The one answer that shows an access code; it must not stay in any cache."""
    response = render(
        request, "cases/case_opened.html", {"case": case, "access_code": code, "title": title}
    )
    response["Cache-Control"] = "no-store"
    return response
