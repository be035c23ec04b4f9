from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is not correct. After several failed attempts "
            "the account is locked for a while."
        ),
        "inactive": _("This account is deactivated."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
