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
        from willkommen.accounts.roles import Role
        from willkommen.core import workareas

        post_migrate.connect(ensure_role_groups, dispatch_uid="role-groups")
        workareas.register(
            "admin:index",
            _("Administration: users, teams, locations, services"),
            roles=(Role.ADMIN,),
            position=1000,
        )
