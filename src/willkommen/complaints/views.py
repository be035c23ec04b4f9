"""The public complaint form and its thank-you page."""

from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from willkommen.complaints import public_forms, services

SUBMITTED = "complaints_submitted"  # the session key: (reference, whether a reply follows)


@require_http_methods(["GET", "POST"])
def complaint_form(request):
    form = public_forms.ComplaintForm(
        request.POST if request.method == "POST" else None,
        initial={"reference": request.GET.get("reference", "")[:40]},
        request=request,
    )
    if form.is_valid():  # unbound on GET; bound, it checks the limits and the proof-of-work
        data = form.cleaned_data
        complaint = services.submit(
            category=data["category"], message=data["message"], name=data["name"],
            email=data["email"], phone=data["phone"], reference=data["reference"],
            language=translation.get_language(),
        )  # fmt: skip
        request.session[SUBMITTED] = [complaint.reference, bool(complaint.email)]
        return redirect("complaints:received")
    return render(
        request,
        "complaints/complaint_form.html",
        {"form": form, "title": _("Complaints and praise")},
        status=400 if form.errors else 200,
    )


@require_GET
def complaint_received(request):
    submitted = request.session.get(SUBMITTED)
    if not submitted:
        return redirect("complaints:form")
    reference, replied = submitted
    return render(
        request,
        "complaints/complaint_received.html",
        {"reference": reference, "replied": replied, "title": _("Thank you")},
    )
