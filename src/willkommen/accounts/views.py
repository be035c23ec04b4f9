from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from willkommen.accounts.forms import StaffLoginForm
from willkommen.accounts.permissions import staff_view
from willkommen.accounts.roles import Role
from willkommen.accounts.sso.views import end_session_url
from willkommen.core import workareas


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = StaffLoginForm
    redirect_authenticated_user = True
    extra_context = {"title": _("Staff login")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sso_enabled=settings.OIDC_ENABLED,
            local_password_login=settings.LOCAL_PASSWORD_LOGIN,
            **kwargs,
        )


class StaffLogoutView(auth_views.LogoutView):
    """Logs out here and, after a single sign-on, at the provider where it offers that."""

    def post(self, request, *args, **kwargs):
        provider_logout = end_session_url(request)
        response = super().post(request, *args, **kwargs)
        return redirect(provider_logout) if provider_logout else response


@staff_view()
def home(request):
    """The staff start page: what each role can reach from here."""
    user = request.user
    context = {
        "areas": workareas.areas_for(user.roles),
        "roles": [Role(r).label for r in sorted(user.roles)],
        "teams": user.teams.all(),
    }
    return render(request, "accounts/home.html", context)
