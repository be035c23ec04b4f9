"""Start, callback and end of a single sign-on; 404 while it is not configured."""

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

REFUSALS = {
    "refused": _("The sign-in with your staff account failed. Please try again."),
    "no_role": _(
        "Your staff account has no role in willkommen. Please ask your administration for access."
    ),
    "unavailable": _("The sign-in service cannot be reached. Please try again later."),
}


def _require_enabled():
    if not settings.OIDC_ENABLED:
        raise Http404


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and a PKCE challenge."""

    def get(self, request):
        _require_enabled()
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer; every refusal ends on the login page with a reason."""

    def get(self, request):
        _require_enabled()
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # A state not issued to this browser, a forged, expired or foreign token.
            logger.warning("single sign-on refused: %s", error)
            return self.login_failure()
        except requests.RequestException as error:
            # The provider down, or its token endpoint refused the code (or the PKCE verifier).
            logger.warning("single sign-on failed at the provider: %s", error)
            request.sso_refusal = "unavailable"
            return self.login_failure()

    def login_failure(self):
        reason = getattr(self.request, "sso_refusal", "refused")
        messages.error(self.request, REFUSALS[reason])
        return redirect(settings.LOGIN_REDIRECT_URL_FAILURE)


class LoggedOutView(RedirectView):
    """Where the provider sends the browser after its logout: one address to register."""

    pattern_name = "accounts:login"


def end_session_url(request) -> str | None:
    """The provider's logout address for this session, if it offers one and we signed on there.

    Read before Django's logout flushes the session that holds the ID token.
    """
    id_token = request.session.get("oidc_id_token")
    if not (settings.OIDC_ENABLED and settings.OIDC_OP_END_SESSION_ENDPOINT and id_token):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse("accounts_sso:logged_out")
            ),
        }
    )
    separator = "&" if "?" in settings.OIDC_OP_END_SESSION_ENDPOINT else "?"
    return f"{settings.OIDC_OP_END_SESSION_ENDPOINT}{separator}{query}"
