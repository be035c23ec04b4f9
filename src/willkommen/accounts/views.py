from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from willkommen.accounts.forms import StaffLoginForm
from willkommen.accounts.permissions import staff_view
from willkommen.accounts.roles import Role
from willkommen.core import workareas


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = StaffLoginForm
    redirect_authenticated_user = True
    extra_context = {"title": _("Staff login")}


class StaffLogoutView(auth_views.LogoutView):
    pass


@staff_view()
def home(request):
    """The staff start page: what each role can reach from here."""
    user = request.user
    context = {
        "areas": workareas.areas_for(user.roles),
        "notices": workareas.notices_for(user.roles),
        "roles": [Role(r).label for r in sorted(user.roles)],
        "teams": user.teams.all(),
    }
    return render(request, "accounts/home.html", context)
