"""Staff pages for a case's files: upload, download, the receipt. Every download is logged."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from willkommen.cases import forms, selectors, services
from willkommen.cases.models import AccessLogEntry
from willkommen.cases.uploads import UploadRefused
from willkommen.cases.views.common import case_or_404, case_view, invalid


@require_POST
@case_view
def upload(request, reference):
    case = case_or_404(request, reference)
    form = forms.DocumentUploadForm(
        request.POST, request.FILES, requirements=case.requirements.all()
    )
    if not form.is_valid():
        return invalid(request, case, upload_form=form)
    try:
        document = services.upload_document(
            case,
            form.cleaned_data["file"],
            requirement_id=form.cleaned_data["requirement"],
            actor=request.user,
        )
    except (UploadRefused, services.CaseError) as error:
        form.add_error("file", error.message)
        return invalid(request, case, upload_form=form)
    messages.success(request, _("Document “%(name)s” stored.") % {"name": document.original_name})
    return redirect("cases:detail", case.reference)


@require_GET
@case_view
def download(request, reference, pk):
    document = selectors.document_for_staff(request.user, reference, pk)
    if document is None:
        raise Http404
    try:
        handle = default_storage.open(document.stored_name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.log_access(
        document.case, user=request.user, action=AccessLogEntry.Action.DOWNLOAD, document=document
    )
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
    case = case_or_404(request, reference)
    receipt = getattr(case, "receipt", None)
    if receipt is None or not receipt.pdf:
        raise Http404
    services.log_access(case, user=request.user, action=AccessLogEntry.Action.DOWNLOAD)
    response = HttpResponse(bytes(receipt.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{case.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
