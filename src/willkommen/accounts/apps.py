from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_role_groups(sender, using="default", **kwargs):
    """Every role exists as a group, and the admin role may change all master data.

    Runs after every migrate (new models bring new permissions) and after a
    database flush, which removes what the data migration created.
    """
    from django.contrib.auth.models import Group, Permission

    from willkommen.accounts.roles import Role

    for role in Role.values:
        Group.objects.using(using).get_or_create(name=role)
    admin = Group.objects.using(using).get(name=Role.ADMIN)
    admin.permissions.set(Permission.objects.using(using).all())


class AccountsConfig(AppConfig):
    name = "willkommen.accounts"
    label = "accounts"
    verbose_name = _("Staff and teams")

    def ready(self):
        from willkommen.accounts.roles import Role, has_role
        from willkommen.core import workareas
        from willkommen.core.admin_site import admin_site
        from willkommen.core.context_processors import register_staff_urls

        post_migrate.connect(ensure_role_groups, dispatch_uid="role-groups")
        # core knows neither roles nor these URLs; accounts hands them over.
        admin_site.set_access_rule(lambda user: has_role(user, Role.ADMIN))
        register_staff_urls(home="accounts:home", logout="accounts:logout")
        workareas.register(
            "accounts:tokens", _("Access tokens for the API"), roles=Role.values, position=990
        )
        workareas.register(
            "admin:index",
            _("Administration: users, teams, locations, services"),
            roles=(Role.ADMIN,),
            position=1000,
        )
