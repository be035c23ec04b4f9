from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_admin_role_all_permissions(sender, using="default", **kwargs):
    """The admin role may change all master data; new models' permissions appear after migrate."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.using(using).filter(name="admin").first()
    if group is not None:
        group.permissions.set(Permission.objects.using(using).all())


class AccountsConfig(AppConfig):
    name = "willkommen.accounts"
    label = "accounts"
    verbose_name = _("Staff and teams")

    def ready(self):
        post_migrate.connect(grant_admin_role_all_permissions, dispatch_uid="admin-role-perms")
