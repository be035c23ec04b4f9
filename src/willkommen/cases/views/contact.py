"""Staff pages for the messages of the contact form, by the same team rule as cases."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from willkommen.cases import selectors, services
from willkommen.cases.views.common import case_view


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
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked as answered."))
    return redirect("cases:contact_requests")
