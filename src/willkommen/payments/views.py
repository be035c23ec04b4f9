"""Pages of payments: the applicant's online payment and return, the counter, the cash report.

Thin: parse, call one service, render. The return page reads the payment's state
from the provider (``services.settle``); nothing in its URL is trusted but the
request id, which is random and only finds the payment.
"""

import csv
import re
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from willkommen.accounts.permissions import staff_view
from willkommen.accounts.roles import Role
from willkommen.cases import codes
from willkommen.cases.models import Case
from willkommen.cases.public_views import unlocked_case
from willkommen.catalog.models import Counter
from willkommen.core import clock, ratelimit
from willkommen.frontdesk.models import Visit
from willkommen.payments import selectors, services
from willkommen.payments.errors import REFUSED, PaymentError, UnknownPayment
from willkommen.payments.forms import CashReportForm, CounterPaymentForm
from willkommen.payments.models import Payment

COUNTER_ROLES = (Role.RECEPTION, Role.TEAM_LEAD, Role.ADMIN)
TICKET = re.compile(r"^([A-Z]{1,3})0*(\d+)$")


def _absolute(path: str) -> str:
    """The provider sends the applicant (and its notification) to the office's public
    address, not to whatever host the request named."""
    return settings.PUBLIC_BASE_URL + path


@require_POST
def pay(request, reference):
    """ "Pay the fee online" on the status page: to the provider's page, or back with why not."""
    case = unlocked_case(request, reference)
    if case is None:
        return redirect("cases:status_lookup")
    ratelimit.enforce(
        "payments-start",
        str(case.pk),
        limit=settings.PAYMENTS_STARTS_PER_CASE_PER_HOUR,
        period=timedelta(hours=1),
    )
    language = translation.get_language()
    try:
        payment = services.start_online_payment(
            case,
            language=language,
            return_url=lambda rid: _absolute(reverse("payments:return", args=[rid])),
            notify_url=lambda rid: _absolute(
                reverse("payments_notify", args=[settings.PAYMENTS_PROVIDER])
            ),
        )
    except PaymentError as error:
        messages.error(request, error.message)
        return redirect("cases:status", case.reference)
    return redirect(payment.payment_url)


@require_GET
def payment_return(request, request_id):
    """Where the provider sends the applicant back: the state read server-side, shown."""
    try:
        payment = services.settle(request_id, provider=_provider_of(request_id), source="return")
    except UnknownPayment:
        raise Http404 from None
    response = render(
        request,
        "payments/return.html",
        {"payment": payment, "case": payment.case, "title": _("Your payment")},
    )
    response["Cache-Control"] = "no-store"
    return response


def _provider_of(request_id: str) -> str:
    found = Payment.objects.filter(request_id=request_id).values_list("provider", flat=True)
    return next(iter(found), settings.PAYMENTS_PROVIDER or "unknown")


@csrf_exempt  # a server-to-server call, authenticated by its signature
@require_http_methods(["GET", "POST"])
def notify(request, provider):
    params = request.POST if request.method == "POST" else request.GET
    try:
        services.receive_notification(provider, params)
    except UnknownPayment:
        return HttpResponse(status=404)
    except PaymentError as error:
        return HttpResponseBadRequest(error.message)
    return HttpResponse("OK", content_type="text/plain")


def _visit_for(ticket: str, counter: Counter):
    match = TICKET.match(ticket.strip().upper())
    if match is None:
        return None
    return Visit.objects.filter(
        location=counter.location,
        service_day=clock.office_today(counter.location),
        ticket_prefix=match.group(1),
        ticket_number=int(match.group(2)),
    ).first()


@require_http_methods(["GET", "POST"])
@staff_view(*COUNTER_ROLES)
def counter(request):
    """Reception records a cash or card payment against a case or today's visit."""
    initial = {"reference": request.GET.get("case", "")[:40]}
    form = CounterPaymentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = visit = None
        if data["reference"]:
            case = Case.objects.filter(reference=codes.normalise_reference(data["reference"]))
            case = case.first()
            if case is None:
                form.add_error("reference", _("There is no case with this reference."))
        else:
            visit = _visit_for(data["ticket"], data["counter"])
            if visit is None:
                form.add_error("ticket", _("There is no visit with this number today."))
        if not form.errors:
            try:
                payment = services.record_counter_payment(
                    case=case,
                    visit=visit,
                    amount_cents=data["amount"],
                    channel=data["channel"],
                    receipt_number=data["receipt_number"],
                    counter=data["counter"],
                    actor=request.user,
                )
            except REFUSED as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(
                    request,
                    _("Payment recorded, receipt %(number)s.") % {"number": payment.receipt_number},
                )
                return redirect("payments:counter")
    return render(
        request,
        "payments/counter.html",
        {
            "form": form,
            "report_form": CashReportForm(initial={"day": clock.office_today()}),
            "counters": Counter.objects.filter(is_active=True).select_related("location"),
            "title": _("Payments at the counter"),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@staff_view(*COUNTER_ROLES)
def cash_report(request, counter_id):
    """The day's cash report of one counter for the cash office (Stadtkasse), as CSV."""
    counter_obj = get_object_or_404(Counter.objects.select_related("location"), pk=counter_id)
    form = CashReportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a valid day."))
    report = selectors.cash_report(counter_obj, form.cleaned_data["day"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"kassenbericht-{counter_obj.location.slug}-{counter_obj.pk}-{report.day}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["time", "kind", "receipt_number", "reference", "channel", "amount_cents"])
    tz = clock.office_time_zone(counter_obj.location)
    for row in report.rows:
        writer.writerow(
            [row.at.astimezone(tz).strftime("%H:%M:%S"), row.kind, row.receipt_number,
             row.reference, row.channel, row.amount_cents]
        )  # fmt: skip
    for channel in ("cash", "card"):
        writer.writerow(["", "total", "", "", channel, report.total(channel)])
    writer.writerow(["", "total", "", "", "all", report.total()])
    return response
