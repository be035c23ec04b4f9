"""Staff pages of the case file. Every case comes from ``selectors`` (who may see what)."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from willkommen.accounts.permissions import staff_view
from willkommen.accounts.roles import Role
from willkommen.cases import forms, selectors, services, transitions
from willkommen.cases.forecast import ForecastCache, forecast_for
from willkommen.cases.models import AccessLogEntry, StatusType
from willkommen.cases.uploads import UploadRefused
from willkommen.core import clock

case_view = staff_view(*selectors.CASE_ROLES)


def _teams_of(user):
    from willkommen.accounts.models import Team

    if selectors.is_case_admin(user):
        return Team.objects.filter(is_active=True)
    return user.teams.filter(is_active=True)


@require_GET
@case_view
def case_list(request):
    teams = _teams_of(request.user)
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
        )
    page = Paginator(selectors.case_list(request.user, filters), 50).get_page(
        request.GET.get("page")
    )
    forecasts = ForecastCache()
    rows = [(case, forecasts.get(case)) for case in page]
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


def _case_or_404(request, reference):
    case = selectors.case_for_staff(request.user, reference)
    if case is None:
        # The same answer for "no such case" and "not yours": references are not secret,
        # but whether a case exists in another team is nobody else's business.
        raise Http404
    return case


@require_GET
@case_view
def case_detail(request, reference):
    case = _case_or_404(request, reference)
    services.log_access(case, user=request.user, action=AccessLogEntry.Action.OPEN)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _detail_context(request, case, **forms_with_errors):
    user = request.user
    statuses = list(case.case_type.statuses.all())
    targets = transitions.allowed_targets(case.status, statuses)
    history = list(case.history.all())
    since = history[-1].changed_at if history else case.opened_at
    context = {
        "case": case,
        "title": case.reference,
        "days_in_status": (clock.now() - since).days,
        "today": clock.local_today("Europe/Berlin"),
        "forecast": forecast_for(case.case_type_id, case.urgency, case.difficulty),
        "completeness": selectors.completeness(case),
        "status_form": forms.StatusChangeForm(
            targets=targets, initial={"expected_status": case.status_id}
        ),
        "classification_form": forms.ClassificationForm(
            initial={"urgency": case.urgency, "difficulty": case.difficulty}
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
            teams=_teams_of(user), initial={"team": case.team_id, "clerk": case.clerk_id}
        )
    context.update(forms_with_errors)
    return context


def _invalid(request, case, **form):
    """Show the case again with the form's errors, status 400, nothing changed."""
    messages.error(request, _("Nothing was changed. Please correct the marked fields."))
    return render(
        request, "cases/case_detail.html", _detail_context(request, case, **form), status=400
    )


def _refused(request, case, error):
    messages.error(request, str(error))
    return redirect("cases:detail", case.reference)


@require_POST
@case_view
def change_status(request, reference):
    case = _case_or_404(request, reference)
    targets = transitions.allowed_targets(case.status, list(case.case_type.statuses.all()))
    form = forms.StatusChangeForm(request.POST, targets=targets)
    if not form.is_valid():
        if "status" in form.errors or "expected_status" in form.errors:
            messages.error(
                request,
                _("This status cannot be set (the case may have changed in the meantime)."),
            )
            return redirect("cases:detail", case.reference)
        return _invalid(request, case, status_form=form)
    try:
        services.change_status(
            case,
            form.target(),
            actor=request.user,
            expected_status_id=form.cleaned_data["expected_status"],
            note=form.cleaned_data["note"],
        )
    except services.CaseError as error:
        return _refused(request, case, error)
    messages.success(request, _("Status changed to “%(status)s”.") % {"status": form.target()})
    return redirect("cases:detail", case.reference)


@require_POST
@case_view
def change_classification(request, reference):
    case = _case_or_404(request, reference)
    form = forms.ClassificationForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, classification_form=form)
    changed = 0
    try:
        for field in ("urgency", "difficulty"):
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
        return _refused(request, case, error)
    if changed:
        messages.success(request, _("Classification changed."))
    else:
        messages.info(request, _("Nothing to change."))
    return redirect("cases:detail", case.reference)


@require_POST
@case_view
def take(request, reference):
    """A clerk takes a case from the team inbox (or over from a colleague) into their own list."""
    case = _case_or_404(request, reference)
    try:
        services.assign(
            case, team=case.team, clerk=request.user, actor=request.user, reason="taken"
        )
    except services.CaseError as error:
        return _refused(request, case, error)
    messages.success(request, _("The case is now assigned to you."))
    return redirect("cases:detail", case.reference)


@require_POST
@staff_view(Role.TEAM_LEAD, Role.ADMIN)
def reassign(request, reference):
    case = _case_or_404(request, reference)
    form = forms.AssignForm(request.POST, teams=_teams_of(request.user))
    if not form.is_valid():
        return _invalid(request, case, assign_form=form)
    try:
        services.assign(
            case,
            team=form.cleaned_data["team"],
            clerk=form.cleaned_data["clerk"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.CaseError as error:
        return _refused(request, case, error)
    messages.success(request, _("The case has been reassigned."))
    if selectors.case_for_staff(request.user, case.reference) is None:
        return redirect("cases:list")
    return redirect("cases:detail", case.reference)


def _form_action(request, case, form_class, form_name, perform, success):
    """A POST that fills one form and calls one service: errors → the page again (400)."""
    form = form_class(request.POST)
    if not form.is_valid():
        return _invalid(request, case, **{form_name: form})
    try:
        perform(form)
    except services.CaseError as error:
        return _refused(request, case, error)
    messages.success(request, success)
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
            form.add_error(None, str(error))
        else:
            services.log_access(opened.case, user=request.user, action=AccessLogEntry.Action.OPEN)
            response = render(
                request,
                "cases/case_opened.html",
                {
                    "case": opened.case,
                    "access_code": opened.access_code,
                    "title": _("Case %(reference)s opened") % {"reference": opened.case.reference},
                },
            )
            response["Cache-Control"] = "no-store"  # the code must not stay in a cache
            return response
    return render(
        request,
        "cases/open_case.html",
        {"form": form, "title": _("Open a case")},
        status=400 if form.errors else 200,
    )


@require_POST
@case_view
def add_family_member(request, reference):
    case = _case_or_404(request, reference)
    return _form_action(
        request, case, forms.FamilyMemberForm, "family_form",
        lambda form: services.add_family_member(
            case, person=form.person(), relation=form.cleaned_data["relation"]
        ),
        _("Family member added."),
    )  # fmt: skip


@require_POST
@case_view
def add_note(request, reference):
    case = _case_or_404(request, reference)
    return _form_action(
        request, case, forms.NoteForm, "note_form",
        lambda form: services.add_note(
            case, text=form.cleaned_data["text"], author=request.user
        ),
        _("Note added."),
    )  # fmt: skip


@require_POST
@case_view
def add_agency_request(request, reference):
    case = _case_or_404(request, reference)
    return _form_action(
        request, case, forms.AgencyRequestForm, "agency_form",
        lambda form: services.add_agency_request(case, actor=request.user, **form.cleaned_data),
        _("Request to the authority recorded."),
    )  # fmt: skip


@require_POST
@case_view
def answer_agency_request(request, reference, pk):
    case = _case_or_404(request, reference)
    agency_request = case.agency_requests.filter(pk=pk).first()
    if agency_request is None:
        raise Http404
    return _form_action(
        request, case, forms.AgencyAnswerForm, "answer_form",
        lambda form: services.answer_agency_request(agency_request, **form.cleaned_data),
        _("Answer recorded."),
    )  # fmt: skip


@require_POST
@case_view
def issue_interim_certificate(request, reference):
    case = _case_or_404(request, reference)
    return _form_action(
        request, case, forms.InterimCertificateForm, "certificate_form",
        lambda form: services.issue_interim_certificate(
            case, actor=request.user, **form.cleaned_data
        ),
        _("Interim certificate recorded."),
    )  # fmt: skip


@require_POST
@case_view
def upload(request, reference):
    case = _case_or_404(request, reference)
    form = forms.DocumentUploadForm(
        request.POST, request.FILES, requirements=case.requirements.all()
    )
    if not form.is_valid():
        return _invalid(request, case, upload_form=form)
    try:
        document = services.upload_document(
            case,
            form.cleaned_data["file"],
            requirement_id=form.cleaned_data["requirement"],
            actor=request.user,
        )
    except (UploadRefused, services.CaseError) as error:
        form.add_error("file", getattr(error, "message", str(error)))
        return _invalid(request, case, upload_form=form)
    messages.success(request, _("Document “%(name)s” stored.") % {"name": document.original_name})
    return redirect("cases:detail", case.reference)


@require_GET
@case_view
def download(request, reference, pk):
    document = selectors.document_for_staff(request.user, reference, pk)
    if document is None:
        raise Http404
    services.log_access(
        document.case, user=request.user, action=AccessLogEntry.Action.DOWNLOAD, document=document
    )
    return _file_response(document)


def _file_response(document):
    try:
        handle = default_storage.open(document.stored_name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@case_view
def receipt_pdf(request, reference):
    case = _case_or_404(request, reference)
    receipt = getattr(case, "receipt", None)
    if receipt is None or not receipt.pdf:
        raise Http404
    services.log_access(case, user=request.user, action=AccessLogEntry.Action.DOWNLOAD)
    from django.http import HttpResponse

    response = HttpResponse(bytes(receipt.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{case.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@case_view
def contact_requests(request):
    answered = request.GET.get("answered") == "1"
    messages_list = selectors.visible_contact_requests(request.user).filter(
        answered_at__isnull=not answered
    )
    page = Paginator(messages_list.order_by("created_at"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/contact_requests.html",
        {"page": page, "answered": answered, "title": _("Messages from the contact form")},
    )


@require_POST
@case_view
def mark_contact_answered(request, reference):
    contact = selectors.visible_contact_requests(request.user).filter(reference=reference).first()
    if contact is None:
        raise Http404
    try:
        services.mark_contact_answered(contact)
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as answered."))
    return redirect("cases:contact_requests")
