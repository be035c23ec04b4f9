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
        from willkommen.core import workareas

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
