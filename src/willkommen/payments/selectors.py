"""Reads of payments that the case page, the status page and the cash report share."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Sum

from willkommen.catalog.models import Counter, Fee
from willkommen.catalog.selectors import fee_of
from willkommen.core import clock
from willkommen.payments.models import COUNTER_CHANNELS, Payment, Refund
from willkommen.payments.states import Status

ADULT_AGE = 18


@dataclass
class FeeLine:
    fee: Fee
    persons: int
    minors: int

    @property
    def amount_cents(self) -> int:
        adults = self.persons - self.minors
        return adults * self.fee.amount_for() + self.minors * self.fee.amount_for(minor=True)


@dataclass
class Account:
    """What a case owes, has paid (less refunds) and still has open, all in cents."""

    lines: list[FeeLine]
    payments: list[Payment]
    due_cents: int
    paid_cents: int
    refunded_cents: int

    @property
    def net_paid_cents(self) -> int:
        return self.paid_cents - self.refunded_cents

    @property
    def open_cents(self) -> int:
        return max(self.due_cents - self.net_paid_cents, 0)

    @property
    def is_paid(self) -> bool:
        return self.due_cents > 0 and self.open_cents == 0


def _is_minor(person, day: date) -> bool:
    born = person.date_of_birth
    if born is None:
        return False
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return age < ADULT_AGE


def fee_lines(case) -> list[FeeLine]:
    """The fee of the case's service on the day it was received, once per person in it
    (applicant and family members), the reduced amount for those under 18 that day."""
    received = clock.office_today() if case.opened_at is None else _local_day(case.opened_at)
    fee = fee_of(case.case_type.service, received)
    if fee is None:
        return []
    persons = list(case.persons.all())
    minors = sum(1 for person in persons if _is_minor(person, received))
    return [FeeLine(fee=fee, persons=max(len(persons), 1), minors=minors)]


def _local_day(moment: datetime) -> date:
    return moment.astimezone(clock.office_time_zone()).date()


def account_of(case) -> Account:
    lines = fee_lines(case)
    payments = list(case.payments.order_by("created_at", "id"))
    paid = sum(p.amount_cents for p in payments if p.status == Status.PAYED)
    refunded = (
        Refund.objects.filter(payment__case=case).aggregate(total=Sum("amount_cents"))["total"] or 0
    )
    return Account(
        lines=lines,
        payments=payments,
        due_cents=sum(line.amount_cents for line in lines),
        paid_cents=paid,
        refunded_cents=refunded,
    )


def open_online_payment(case) -> Payment | None:
    """An online payment of the case still waiting at the provider (reused, not doubled)."""
    return (
        case.payments.filter(status=Status.INITIAL, channel="online")
        .exclude(payment_url="")
        .order_by("-created_at")
        .first()
    )


@dataclass
class CashRow:
    at: datetime
    kind: str  # "payment" or "refund"
    receipt_number: str
    reference: str  # case reference or visit ticket
    channel: str
    amount_cents: int  # negative for a refund


@dataclass
class CashReport:
    counter: Counter
    day: date
    rows: list[CashRow] = field(default_factory=list)

    def total(self, channel: str | None = None) -> int:
        return sum(r.amount_cents for r in self.rows if channel is None or r.channel == channel)


def day_bounds(day: date, location) -> tuple[datetime, datetime]:
    """The UTC span of ``day`` at ``location`` (its own time zone, invariant 7)."""
    tz = clock.office_time_zone(location)
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def _reference(payment: Payment) -> str:
    if payment.case_id:
        return payment.case.reference
    return payment.visit.ticket if payment.visit_id else ""


def cash_report(counter: Counter, day: date) -> CashReport:
    """Every cash and card payment and refund booked at ``counter`` on its local ``day``."""
    start, end = day_bounds(day, counter.location)
    report = CashReport(counter=counter, day=day)
    payments = (
        Payment.objects.paid()
        .filter(counter=counter, channel__in=COUNTER_CHANNELS, settled_at__gte=start)
        .filter(settled_at__lt=end)
        .select_related("case", "visit")
    )
    for payment in payments:
        report.rows.append(
            CashRow(
                payment.settled_at,
                "payment",
                payment.receipt_number,
                _reference(payment),
                payment.channel,
                payment.amount_cents,
            )
        )
    refunds = Refund.objects.filter(
        counter=counter, recorded_at__gte=start, recorded_at__lt=end
    ).select_related("payment__case", "payment__visit")
    for refund in refunds:
        report.rows.append(
            CashRow(
                refund.recorded_at,
                "refund",
                refund.receipt_number,
                _reference(refund.payment),
                refund.channel,
                -refund.amount_cents,
            )
        )
    report.rows.sort(key=lambda row: row.at)
    return report
