"""Sign-in with a local password, which LOCAL_PASSWORD_LOGIN can switch off."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    """Django's password sign-in; with LOCAL_PASSWORD_LOGIN off, superusers only.

    The superuser is the break-glass account for when the identity provider is down
    or misconfigured: it is created with ``manage.py createsuperuser``, kept out of
    the directory, and still counted by the lockout (axes) like every password.
    """

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return settings.LOCAL_PASSWORD_LOGIN or user.is_superuser
