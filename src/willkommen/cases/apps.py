from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "willkommen.cases"
    label = "cases"
    verbose_name = _("Case files")

    def ready(self):
        from willkommen.accounts.roles import Role
        from willkommen.core import publiclinks, workareas

        workareas.register(
            "cases:list",
            _("Case files: my team's cases, inbox, documents, status"),
            roles=(Role.CLERK, Role.TEAM_LEAD, Role.ADMIN),
            position=60,
        )

        publiclinks.register_link(
            "cases:status_lookup",
            _("Where does my application stand?"),
            _("With the reference and access code from your confirmation."),
            position=30,
        )
        publiclinks.register_link(
            "cases:skilled_worker_form",
            _("Employers: accelerated skilled-worker procedure (§ 81a AufenthG)"),
            _("Apply for a skilled worker from abroad, with the documents."),
            position=40,
            available=lambda: _form_open("skilled_worker"),
        )
        publiclinks.register_link(
            "cases:naturalisation_form",
            _("Submit naturalisation documents"),
            _("Send the documents for your naturalisation online."),
            position=50,
            available=lambda: _form_open("naturalisation"),
        )
        publiclinks.register_link(
            "cases:contact",
            _("Write to us"),
            _("A question or a message about your case, answered by the right team."),
            position=60,
        )
        publiclinks.register_service_actions("cases", _service_actions)


def _form_services():
    from willkommen.cases.public_views import NATURALISATION_SERVICE, SKILLED_WORKER_SERVICE

    return {"skilled_worker": SKILLED_WORKER_SERVICE, "naturalisation": NATURALISATION_SERVICE}


def _form_open(form: str) -> bool:
    """An online form works once its service is active and has an active case type."""
    from willkommen.catalog.models import Service

    return Service.objects.filter(
        slug=_form_services()[form], is_active=True, case_type__is_active=True
    ).exists()


def _service_actions(service):
    """On the pages of the services with an online form: apply online."""
    from django.urls import reverse

    from willkommen.core.publiclinks import ServiceAction

    slugs = _form_services()
    forms = {
        slugs["skilled_worker"]: ("cases:skilled_worker_form", _("Apply online")),
        slugs["naturalisation"]: ("cases:naturalisation_form", _("Submit the documents online")),
    }
    if service.slug not in forms or not getattr(service, "case_type", None):
        return []
    url_name, label = forms[service.slug]
    return [ServiceAction(reverse(url_name), label, primary=True)]
