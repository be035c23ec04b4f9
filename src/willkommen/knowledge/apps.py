from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "willkommen.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self):
        from willkommen.accounts.roles import Role
        from willkommen.core import panels, workareas
        from willkommen.knowledge import panels as knowledge_panels

        workareas.register(
            "knowledge:list",
            _("Knowledge base: legal bases, internal instructions, process guides"),
            roles=tuple(Role.values),
            position=70,
        )
        panels.register("case", "knowledge", knowledge_panels.for_case, position=50)
        panels.register("visit", "knowledge", knowledge_panels.for_visit, position=50)
        panels.register("staff_home", "knowledge", knowledge_panels.review_due, position=50)
