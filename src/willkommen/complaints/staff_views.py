"""Staff pages of complaints: the list, one complaint with its actions, and the two intakes
(a caller or visitor, an imported e-mail). Every complaint comes from ``selectors``
(who may see which); every write is one service call."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from willkommen.accounts.permissions import staff_view
from willkommen.complaints import deadlines, forms, letters, selectors, services, states
from willkommen.complaints.models import AnswerTemplate
from willkommen.core import clock
from willkommen.core.states import TransitionNotAllowed

handler_view = staff_view(*selectors.HANDLER_ROLES)
intake_view = staff_view(*selectors.INTAKE_ROLES)
REFUSED = (services.ComplaintError, TransitionNotAllowed)


def _complaint_or_404(request, reference):
    complaint = selectors.complaint_for_staff(request.user, reference)
    if complaint is None:
        raise Http404  # the same for "no such complaint" and "not yours to handle"
    return complaint


@require_GET
@handler_view
def complaint_list(request):
    form = forms.FilterForm(request.GET or None)
    filters = selectors.ComplaintFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ComplaintFilter(
            status=data["status"], category=data["category"], flag=data["flag"],
            team=data["team"].pk if data["team"] else None, query=data["q"],
        )  # fmt: skip
    page = Paginator(selectors.complaint_list(request.user, filters), 50).get_page(
        request.GET.get("page")
    )
    today = clock.office_today()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/staff/list.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, deadlines.flag(c, today)) for c in page],
            "query": query.urlencode(),
            "title": _("Complaints"),
        },
        status=400 if form.errors else 200,
    )


def _detail(request, complaint, *, reply_form=None, move_form=None, status=200):
    template = None
    if reply_form is None and (chosen := request.GET.get("template", "")).isdigit():
        template = AnswerTemplate.objects.filter(pk=chosen, is_active=True).first()
        if template is not None:
            letter = letters.from_template(template, complaint)
            reply_form = forms.ReplyForm(
                initial={"template": template.pk, "subject": letter.subject, "body": letter.body}
            )
    elif reply_form is not None:
        template = reply_form.cleaned_data.get("template") if reply_form.is_bound else None
    return render(
        request,
        "complaints/staff/detail.html",
        {
            "complaint": complaint,
            "title": complaint.reference,
            "flag": deadlines.flag(complaint),
            "interim_from": deadlines.interim_from(complaint.due_on),
            "actions": [
                a for a in states.BUTTON_ACTIONS if states.TABLE.allows(complaint.status, a)
            ],
            "move_form": move_form or forms.MoveForm(),
            "answers": selectors.templates_for(complaint, AnswerTemplate.Kind.ANSWER),
            "interims": selectors.templates_for(complaint, AnswerTemplate.Kind.INTERIM),
            "reply_form": reply_form,
            "reply_template": template,
            "events": complaint.events.select_related("actor"),
            "letters": complaint.letters.select_related("sent_by"),
            "reads": selectors.reads(complaint),
        },
        status=status,
    )


@require_GET
@handler_view
def complaint_detail(request, reference):
    complaint = _complaint_or_404(request, reference)
    services.log_read(complaint, user=request.user)
    return _detail(request, complaint)


@require_POST
@handler_view
def complaint_move(request, reference):
    complaint = _complaint_or_404(request, reference)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed. Please correct the marked fields."))
        return _detail(request, complaint, move_form=form, status=400)
    try:
        services.move(
            complaint, form.cleaned_data["action"], actor=request.user,
            note=form.cleaned_data["note"],
        )  # fmt: skip
    except REFUSED as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("Status: %(status)s.") % {"status": complaint.get_status_display()}
        )
    return redirect("complaints_staff:detail", complaint.reference)


@require_POST
@handler_view
def complaint_reply(request, reference):
    complaint = _complaint_or_404(request, reference)
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was sent. Please correct the marked fields."))
        return _detail(request, complaint, reply_form=form, status=400)
    try:
        letter = services.reply(
            complaint, template=form.cleaned_data["template"], actor=request.user,
            subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
        )  # fmt: skip
    except REFUSED as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("%(kind)s sent to %(to)s.") % {"kind": letter.get_kind_display(), "to": letter.to},
        )
    return redirect("complaints_staff:detail", complaint.reference)


def _recorded(request, complaint):
    messages.success(request, _("Complaint recorded: %(reference)s.") % {"reference": complaint})
    if selectors.complaint_for_staff(request.user, complaint.reference) is not None:
        return redirect("complaints_staff:detail", complaint.reference)
    return redirect("complaints_staff:new")


@require_http_methods(["GET", "POST"])
@intake_view
def complaint_new(request):
    form = forms.StaffComplaintForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        complaint = services.record_for_caller(
            actor=request.user, category=data["category"], message=data["message"],
            language=data["language"], links=data["links"], team=data["team"],
            name=data["name"], email=data["email"], phone=data["phone"],
        )  # fmt: skip
        return _recorded(request, complaint)
    return render(
        request,
        "complaints/staff/new.html",
        {"form": form, "title": _("Record a complaint")},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@handler_view
def complaint_import(request):
    form = forms.EmailImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if form.is_valid():
        data = form.cleaned_data
        complaint = services.import_email(
            data["file"], actor=request.user, category=data["category"], team=data["team"],
            language=data["language"],
        )  # fmt: skip
        if data["file"].attachments:
            messages.info(
                request,
                _("%(count)d attachment(s) of the e-mail were not kept.")
                % {"count": data["file"].attachments},
            )
        return _recorded(request, complaint)
    return render(
        request,
        "complaints/staff/import.html",
        {"form": form, "title": _("Import a complaint from an e-mail")},
        status=400 if form.errors else 200,
    )
