from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "willkommen.intake"
    label = "intake"
    verbose_name = _("Online applications (FIT-Connect)")

    def ready(self):
        from willkommen.accounts.roles import Role
        from willkommen.core import workareas

        workareas.register_notice(
            "intake:waiting",
            _waiting_notice,
            roles=(Role.ADMIN, Role.TEAM_LEAD, Role.CLERK),
        )


def _waiting_notice() -> list[str]:
    from django.conf import settings
    from django.utils.translation import ngettext

    from willkommen.intake.selectors import waiting_too_long

    count = waiting_too_long().count()
    if not count:
        return []
    return [
        ngettext(
            "%(count)d online application (FIT-Connect) has waited more than %(days)d days "
            "without being accepted or rejected. FIT-Connect rejects it after 14 days.",
            "%(count)d online applications (FIT-Connect) have waited more than %(days)d days "
            "without being accepted or rejected. FIT-Connect rejects them after 14 days.",
            count,
        )
        % {"count": count, "days": settings.FITCONNECT_WARN_AFTER_DAYS}
    ]
