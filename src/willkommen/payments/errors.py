"""The refusals of payments: each carries a message for the person who tried."""

from django.utils.translation import gettext_lazy as _

from willkommen.core.states import TransitionNotAllowed


class PaymentError(ValueError):
    """A payment write that is refused; nothing was changed."""

    code = "payment_refused"
    http_status = 400

    @property
    def message(self) -> str:
        return self.args[0] if self.args else ""


class NothingOpen(PaymentError):
    code = "nothing_open"
    default = _("There is no open fee to pay.")


class PaymentUnavailable(PaymentError):
    """The provider could not take the payment; the applicant may try again later."""

    code = "provider_unavailable"
    http_status = 503


class UnknownPayment(PaymentError):
    code = "unknown_payment"
    http_status = 404


REFUSED = (PaymentError, TransitionNotAllowed)
