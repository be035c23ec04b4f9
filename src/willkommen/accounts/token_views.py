"""The staff page for personal access tokens: list, create (the secret shown once), revoke."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from willkommen.accounts import tokens
from willkommen.accounts.forms import AccessTokenForm
from willkommen.accounts.models import AccessToken
from willkommen.accounts.permissions import staff_view


def _page(request, form, created=None, status=200):
    context = {
        "title": _("Access tokens for the API"),
        "form": form,
        "created": created,
        "tokens": request.user.access_tokens.select_related("revoked_by"),
    }
    return render(request, "accounts/tokens.html", context, status=status)


@never_cache  # the page that shows a new secret must not stay in any cache
@require_http_methods(["GET", "POST"])
@staff_view()
def token_list(request):
    if request.method == "GET":
        return _page(request, AccessTokenForm(user=request.user))
    form = AccessTokenForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        created = tokens.create(
            request.user,
            name=form.cleaned_data["name"],
            roles=form.cleaned_data["roles"],
            days=form.cleaned_data["days"],
        )
    except tokens.TokenError as error:
        form.add_error(None, error.message)
        return _page(request, form, status=400)
    return _page(request, AccessTokenForm(user=request.user), created=created)


@require_POST
@staff_view()
def token_revoke(request, pk):
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    if tokens.revoke(token, actor=request.user):
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
