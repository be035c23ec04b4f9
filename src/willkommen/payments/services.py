"""Writes of payments: one function per use case.

Online payments talk to a provider over the network, which never happens inside a
database transaction (a slow provider must not hold a lock): the payment row is
written first (INITIAL, with its request id), then the provider is asked, then the
answer is written. Settling always reads the state from the provider server-side,
on the locked row, so a return page reloaded, a notification arriving at the same
moment, or a forged redirect change a payment at most once and only as the
provider says.
"""

import logging
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from willkommen.core import clock
from willkommen.payments import mails, providers, selectors
from willkommen.payments.errors import NothingOpen, PaymentError, PaymentUnavailable, UnknownPayment
from willkommen.payments.models import (
    COUNTER_CHANNELS,
    Channel,
    Payment,
    PaymentEvent,
    ProviderNotice,
    Refund,
)
from willkommen.payments.states import ACTION_FOR, FINAL, TABLE, Action, Status

log = logging.getLogger(__name__)


def _event(payment, action, before, *, actor=None, source=""):
    PaymentEvent.objects.create(
        payment=payment,
        action=action,
        from_status=before,
        to_status=payment.status,
        at=clock.now(),
        actor=actor,
        source=source,
    )


def notice(kind, *, provider, request_id="", payment=None, detail="") -> ProviderNotice:
    """Keep what a provider sent that was not acted on, and log it for operations."""
    log.warning("payment provider %s: %s %s %s", provider, kind, request_id, detail)
    return ProviderNotice.objects.create(
        at=clock.now(),
        provider=provider,
        kind=kind,
        request_id=request_id[:100],
        payment=payment,
        detail=detail[:2000],
    )


def _move(payment: Payment, action: str, *, actor=None, source="") -> Payment:
    before = payment.status
    payment.status = TABLE.target(before, action)
    if payment.status in FINAL:
        payment.settled_at = clock.now()
    payment.save(update_fields=["status", "settled_at"])
    _event(payment, action, before, actor=actor, source=source)
    if payment.status == Status.PAYED:
        mails.queue_paid_mail(payment)
    return payment


def _purpose(case) -> str:
    return f"Gebuehr {case.reference}"[:27]


def start_online_payment(case, *, language: str, return_url, notify_url=None) -> Payment:
    """The payment the applicant is sent to the provider for; an open one is reused.

    ``return_url(request_id)`` and ``notify_url(request_id)`` build the addresses
    the provider calls back. PaymentUnavailable when the provider fails (the
    payment is then FAILED, a notice kept); NothingOpen when nothing is owed.
    """
    provider_name = providers.configured()
    if not provider_name:
        raise PaymentUnavailable(_("Online payment is not available at the moment."))
    with transaction.atomic():
        type(case).objects.select_for_update().get(pk=case.pk)  # one start per case at a time
        existing = selectors.open_online_payment(case)
        if existing is not None and existing.provider == provider_name:
            return existing
        account = selectors.account_of(case)
        if account.open_cents <= 0:
            raise NothingOpen(str(NothingOpen.default))
        line = account.lines[0] if account.lines else None
        payment = Payment.objects.create(
            case=case,
            fee=line.fee if line else None,
            amount_cents=account.open_cents,
            purpose=_purpose(case),
            channel=Channel.ONLINE,
            status=TABLE.start(Action.START),
            request_id=uuid.uuid4().hex,
            provider=provider_name,
            language=language,
            created_at=clock.now(),
        )
        _event(payment, Action.START, "", source="applicant")
    order = providers.Order(
        request_id=payment.request_id,
        amount_cents=payment.amount_cents,
        purpose=payment.purpose,
        description=f"{case.case_type.service} – {case.reference}",
        return_url=return_url(payment.request_id),
        notify_url=notify_url(payment.request_id) if notify_url else "",
        language=language,
    )
    try:
        started = providers.get(provider_name).start(order)
    except providers.ProviderError as error:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            _move(locked, Action.FAIL, source="start")
            notice(
                ProviderNotice.Kind.PROVIDER_ERROR,
                provider=provider_name,
                request_id=payment.request_id,
                payment=locked,
                detail=str(error),
            )
        raise PaymentUnavailable(
            _("The payment service cannot be reached at the moment. Nothing was charged. "
              "Please try again later.")
        ) from error  # fmt: skip
    Payment.objects.filter(pk=payment.pk).update(
        provider_reference=started.reference, payment_url=started.payment_url
    )
    payment.provider_reference, payment.payment_url = started.reference, started.payment_url
    return payment


def settle(request_id: str, *, provider: str, source: str) -> Payment:
    """Read the payment's state from its provider and record it (return page, notification).

    Never takes the state from the caller: the redirect and its parameters carry
    nothing we trust. An unknown request id raises UnknownPayment (and is kept as a
    notice); an unknown state or a provider error leaves the payment as it is.
    """
    payment = Payment.objects.filter(request_id=request_id, channel=Channel.ONLINE).first()
    if payment is None:
        with transaction.atomic():
            notice(ProviderNotice.Kind.UNKNOWN_REQUEST, provider=provider, request_id=request_id)
        raise UnknownPayment(_("This payment is not known."))
    if payment.status in FINAL:
        with transaction.atomic():
            notice(
                ProviderNotice.Kind.REPEATED,
                provider=provider,
                request_id=request_id,
                payment=payment,
                detail=f"{source} after {payment.status}",
            )
        return payment
    if not payment.provider_reference:
        return payment  # the start never reached the provider: nothing to ask
    try:
        state = providers.get(payment.provider).status(
            reference=payment.provider_reference, request_id=payment.request_id
        )
    except providers.ProviderError as error:
        kind = (
            ProviderNotice.Kind.UNKNOWN_STATE
            if isinstance(error, providers.UnknownProviderState)
            else ProviderNotice.Kind.PROVIDER_ERROR
        )
        with transaction.atomic():
            notice(
                kind, provider=payment.provider, request_id=request_id, payment=payment,
                detail=str(error),
            )  # fmt: skip
        return payment
    if state == Status.INITIAL:
        return payment
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status in FINAL:  # settled by a concurrent return or notification
            return locked
        return _move(locked, ACTION_FOR[state], source=source)


def receive_notification(provider_name: str, params) -> Payment:
    """A provider's notification: its signature checked, then settled like a return."""
    try:
        request_id = providers.get(provider_name).notification(params)
    except providers.ForgedNotification as error:
        with transaction.atomic():
            notice(
                ProviderNotice.Kind.FORGED,
                provider=provider_name,
                request_id=str(params.get("gcMerchantTxId", "")),
                detail=str(error),
            )
        raise PaymentError(_("The notification's signature is wrong.")) from error
    return settle(request_id, provider=provider_name, source="notification")


@transaction.atomic
def record_counter_payment(
    *, amount_cents: int, channel: str, receipt_number: str, counter, actor, case=None, visit=None
) -> Payment:
    """Cash or card taken at a counter, against a case or a visit, with its receipt number."""
    if channel not in COUNTER_CHANNELS:
        raise PaymentError(_("At the counter, payments are cash or card."))
    if case is None and visit is None:
        raise PaymentError(_("Name the case or the visit the payment is for."))
    if amount_cents <= 0:
        raise PaymentError(_("The amount must be more than zero."))
    receipt_number = receipt_number.strip()
    if not receipt_number:
        raise PaymentError(_("The receipt number is missing."))
    fee = None
    if case is not None:
        lines = selectors.fee_lines(case)
        fee = lines[0].fee if lines else None
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                case=case,
                visit=visit,
                fee=fee,
                amount_cents=amount_cents,
                purpose=(_purpose(case) if case else f"Gebuehr {visit.ticket}")[:27],
                channel=channel,
                status=TABLE.start(Action.RECORD),
                request_id=uuid.uuid4().hex,
                receipt_number=receipt_number,
                counter=counter,
                recorded_by=actor,
                created_at=clock.now(),
                settled_at=clock.now(),
            )
    except IntegrityError:
        raise PaymentError(
            _("The receipt number %(number)s is already used at this counter.")
            % {"number": receipt_number}
        ) from None
    _event(payment, Action.RECORD, "", actor=actor, source="counter")
    mails.queue_paid_mail(payment)
    return payment


@transaction.atomic
def record_refund(
    payment: Payment, *, amount_cents: int, reason: str, actor, counter=None, receipt_number=""
) -> Refund:
    """Money given back on a paid payment; never more than was paid, never deleted."""
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if locked.status != Status.PAYED:
        raise PaymentError(_("Only a paid payment can be refunded."))
    if amount_cents <= 0:
        raise PaymentError(_("The amount must be more than zero."))
    if not reason.strip():
        raise PaymentError(_("Give the reason for the refund."))
    refunded = locked.refunds.aggregate(total=Sum("amount_cents"))["total"] or 0
    if refunded + amount_cents > locked.amount_cents:
        raise PaymentError(_("A refund cannot be more than what was paid."))
    return Refund.objects.create(
        payment=locked,
        amount_cents=amount_cents,
        reason=reason.strip(),
        channel=locked.channel,
        counter=counter,
        receipt_number=receipt_number.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
