"""Staff pages of the case file: the list, a case, and the writes on its page.

Every case comes from ``selectors`` (who may see what); every write is one service call.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from willkommen.accounts.permissions import staff_view
from willkommen.accounts.roles import Role
from willkommen.cases import forms, selectors, services, transitions
from willkommen.cases.forecast import ForecastCache
from willkommen.cases.models import StatusType
from willkommen.cases.views.common import (
    case_or_404,
    case_view,
    detail_context,
    form_action,
    invalid,
    refused,
    show_access_code,
    teams_of,
)
from willkommen.core import clock


@require_GET
@case_view
def case_list(request):
    teams = teams_of(request.user)
    statuses = sorted(
        {(s.code, s.internal_name) for s in StatusType.objects.filter(case_type__is_active=True)},
        key=lambda pair: pair[1],
    )
    form = forms.CaseFilterForm(request.GET or None, teams=teams, statuses=statuses)
    filters = selectors.CaseFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CaseFilter(
            team=data["team"],
            clerk=data["clerk"],
            status=data["status"],
            overdue=data["overdue"],
            expiring=data["expiring"],
            waiting=data["waiting"],
            closed=data["closed"],
            query=data["q"],
            order=data["order"],
        )
    page = Paginator(selectors.case_list(request.user, filters), 50).get_page(
        request.GET.get("page")
    )
    forecasts = ForecastCache()
    today = clock.office_today()
    rows = [(case, forecasts.get(case), selectors.permit_warning(case, today)) for case in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "title": _("Case files"),
        },
        status=200 if not form.errors else 400,
    )


@require_GET
@case_view
def case_detail(request, reference):
    case = case_or_404(request, reference)
    services.log_opened(case, user=request.user, session=request.session)
    return render(request, "cases/case_detail.html", detail_context(request, case))


@require_POST
@case_view
def change_status(request, reference):
    case = case_or_404(request, reference)
    targets = transitions.allowed_targets(case.status, list(case.case_type.statuses.all()))
    form = forms.StatusChangeForm(request.POST, targets=targets)
    if not form.is_valid():
        if "status" in form.errors or "expected_status" in form.errors:
            messages.error(
                request,
                _("This status cannot be set (the case may have changed in the meantime)."),
            )
            return redirect("cases:detail", case.reference)
        return invalid(request, case, status_form=form)
    try:
        services.change_status(
            case,
            form.target(),
            actor=request.user,
            expected_status_id=form.cleaned_data["expected_status"],
            note=form.cleaned_data["note"],
        )
    except services.REFUSED as error:
        return refused(request, case, error)
    messages.success(request, _("Status changed to “%(status)s”.") % {"status": form.target()})
    return redirect("cases:detail", case.reference)


@require_POST
@case_view
def change_classification(request, reference):
    case = case_or_404(request, reference)
    form = forms.ClassificationForm(request.POST)
    if not form.is_valid():
        return invalid(request, case, classification_form=form)
    changed = 0
    try:
        for field in ("urgency", "difficulty", "language"):
            if form.cleaned_data[field] != getattr(case, field):
                services.change_classification(
                    case,
                    field=field,
                    value=form.cleaned_data[field],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
                changed += 1
    except services.CaseError as error:
        return refused(request, case, error)
    if changed:
        messages.success(request, _("Classification changed."))
    else:
        messages.info(request, _("Nothing to change."))
    return redirect("cases:detail", case.reference)


@require_POST
@case_view
def take(request, reference):
    """A clerk takes a case from the team inbox (or over from a colleague) into their own list."""
    case = case_or_404(request, reference)
    try:
        services.assign(
            case, team=case.team, clerk=request.user, actor=request.user, reason="taken"
        )
    except services.CaseError as error:
        return refused(request, case, error)
    messages.success(request, _("The case is now assigned to you."))
    return redirect("cases:detail", case.reference)


@require_POST
@staff_view(Role.TEAM_LEAD, Role.ADMIN)
def reassign(request, reference):
    case = case_or_404(request, reference)
    form = forms.AssignForm(request.POST, teams=teams_of(request.user))
    if not form.is_valid():
        return invalid(request, case, assign_form=form)
    try:
        services.assign(
            case,
            team=form.cleaned_data["team"],
            clerk=form.cleaned_data["clerk"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.CaseError as error:
        return refused(request, case, error)
    messages.success(request, _("The case has been reassigned."))
    if selectors.case_for_staff(request.user, case.reference) is None:
        return redirect("cases:list")
    return redirect("cases:detail", case.reference)


@require_http_methods(["GET", "POST"])
@case_view
def open_case(request):
    """Open a case at the counter; the access code is shown once, on this answer only."""
    form = forms.IntakeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.open_case(
                language=translation.get_language(), source="staff", actor=request.user,
                **form.case_data(),
            )  # fmt: skip
        except services.CaseError as error:
            form.add_error(None, error.message)
        else:
            services.log_opened(opened.case, user=request.user, session=request.session)
            title = _("Case %(reference)s opened") % {"reference": opened.case.reference}
            return show_access_code(request, opened.case, opened.access_code, title)
    return render(
        request,
        "cases/open_case.html",
        {"form": form, "title": _("Open a case")},
        status=400 if form.errors else 200,
    )


@require_POST
@case_view
def rotate_access_code(request, reference):
    """Give the case a new access code (the applicant lost theirs, or it leaked): logged, mailed."""
    case = case_or_404(request, reference)
    try:
        code = services.rotate_access_code(case, actor=request.user)
    except services.CaseError as error:
        return refused(request, case, error)
    if case.contact_email:
        messages.success(request, _("The new access code has been sent to the applicant."))
    title = _("New access code for %(reference)s") % {"reference": case.reference}
    return show_access_code(request, case, code, title)


@require_POST
@case_view
def add_family_member(request, reference):
    case = case_or_404(request, reference)
    return form_action(
        request, case, forms.FamilyMemberForm, "family_form",
        lambda form: services.add_family_member(
            case, person=form.person(), relation=form.cleaned_data["relation"]
        ),
        _("Family member added."),
    )  # fmt: skip


@require_POST
@case_view
def add_note(request, reference):
    case = case_or_404(request, reference)
    return form_action(
        request, case, forms.NoteForm, "note_form",
        lambda form: services.add_note(
            case, text=form.cleaned_data["text"], author=request.user
        ),
        _("Note added."),
    )  # fmt: skip


@require_POST
@case_view
def add_agency_request(request, reference):
    case = case_or_404(request, reference)
    return form_action(
        request, case, forms.AgencyRequestForm, "agency_form",
        lambda form: services.add_agency_request(case, actor=request.user, **form.cleaned_data),
        _("Request to the authority recorded."),
    )  # fmt: skip


@require_POST
@case_view
def answer_agency_request(request, reference, pk):
    case = case_or_404(request, reference)
    agency_request = case.agency_requests.filter(pk=pk).first()
    if agency_request is None:
        raise Http404
    return form_action(
        request, case, forms.AgencyAnswerForm, "answer_form",
        lambda form: services.answer_agency_request(agency_request, **form.cleaned_data),
        _("Answer recorded."),
    )  # fmt: skip


@require_POST
@case_view
def issue_interim_certificate(request, reference):
    case = case_or_404(request, reference)
    return form_action(
        request, case, forms.InterimCertificateForm, "certificate_form",
        lambda form: services.issue_interim_certificate(
            case, actor=request.user, **form.cleaned_data
        ),
        _("Interim certificate recorded."),
    )  # fmt: skip
