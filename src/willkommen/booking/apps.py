from django.apps import AppConfig
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


def _triage_label() -> str:
    """The queue's label on the staff start page, flagging requests waiting too long."""
    from willkommen.booking.selectors import overdue_emergency_requests

    label = gettext("Emergency requests: triage queue")
    overdue = overdue_emergency_requests().count()
    if overdue:
        label += " – " + ngettext(
            "%(count)s request waiting too long", "%(count)s requests waiting too long", overdue
        ) % {"count": overdue}
    return label


class BookingConfig(AppConfig):
    name = "willkommen.booking"
    label = "booking"
    verbose_name = _("Appointments")

    def ready(self):
        from willkommen.accounts.roles import Role
        from willkommen.booking import mails
        from willkommen.core import outbox, publiclinks, workareas

        outbox.register_builder(mails.CONFIRMATION_PDF, mails.confirmation_pdf)

        workareas.register(
            "booking_staff:day_plan",
            _("Appointments: day plan, booking by phone, preparation tasks"),
            roles=(Role.RECEPTION, Role.CLERK, Role.TEAM_LEAD),
            position=10,
        )
        workareas.register(
            "booking_staff:triage",
            lazy(_triage_label, str)(),
            roles=(Role.RECEPTION, Role.TEAM_LEAD),
            position=11,
        )

        publiclinks.register_link(
            "booking:start",
            _("Book an appointment"),
            _("A binding appointment for you and your family, with the documents to bring."),
            position=10,
        )
        publiclinks.register_link(
            "booking:emergency",
            _("Request an emergency appointment"),
            _("Your permit expires within days, has expired, or it is urgent for another reason."),
            position=20,
        )
        publiclinks.register_service_actions("booking", _service_actions)


def _service_actions(service):
    """On a service's page: book it, or ask for an emergency appointment for it."""
    from django.urls import reverse

    from willkommen.core.publiclinks import ServiceAction

    actions = []
    if service.online_bookable:
        url = reverse("booking:start") + f"?service={service.pk}"
        actions.append(ServiceAction(url, _("Book an appointment"), primary=True))
    if service.emergency_eligible:
        url = reverse("booking:emergency") + f"?service={service.pk}"
        actions.append(ServiceAction(url, _("Request an emergency appointment")))
    return actions
