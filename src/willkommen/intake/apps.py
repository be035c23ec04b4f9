from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "willkommen.intake"
    label = "intake"
    verbose_name = _("Online applications (FIT-Connect)")

    def ready(self):
        from willkommen.core import panels

        panels.register("staff_home", "intake", _start_page_warnings, position=10)


def _start_page_warnings(request, user) -> str:
    """The submissions staff must look at, as warnings on the staff start page."""
    from django.template.loader import render_to_string
    from django.utils.html import format_html_join

    from willkommen.accounts.roles import Role, has_role

    texts = []
    if has_role(user, Role.ADMIN, Role.TEAM_LEAD, Role.CLERK):
        texts += _waiting_notice()
    if has_role(user, Role.ADMIN, Role.TEAM_LEAD):
        texts += _rejected_notice()
    return format_html_join(
        "",
        "{}",
        (
            (render_to_string("core/includes/alert.html", {"level": "warning", "heading": t}),)
            for t in texts
        ),
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


def _rejected_notice() -> list[str]:
    """Refused submissions of the last week: staff look at them (the admin keeps what arrived)."""
    from willkommen.intake.selectors import recently_rejected

    count = recently_rejected().count()
    if not count:
        return []
    from django.utils.translation import ngettext

    return [
        ngettext(
            "%(count)d online application (FIT-Connect) was rejected in the last 7 days; "
            "see FIT-Connect submissions in the administration.",
            "%(count)d online applications (FIT-Connect) were rejected in the last 7 days; "
            "see FIT-Connect submissions in the administration.",
            count,
        )
        % {"count": count}
    ]
