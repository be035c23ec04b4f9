"""The authentication backend of the single sign-on.

mozilla-django-oidc runs the code flow (state, nonce, PKCE S256) and checks the ID
token's signature against the provider's keys. It does not check the token's issuer,
audience or lifetime, so ``_verify_jws`` does; and it matches users by e-mail, which
``get_or_create_user`` replaces by issuer + subject.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from willkommen.accounts import services
from willkommen.accounts.roles import roles_of

logger = logging.getLogger(__name__)


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Django builds every backend for every sign-in, passwords too: without a
        # configured provider this backend must exist and answer nothing.
        self.UserModel = get_user_model()
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        # Only the callback passes a nonce; a password attempt is none of ours.
        if not settings.OIDC_ENABLED or request is None or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        # mozilla-django-oidc's get_user ignores is_active; Django's does not, so a
        # staff member deactivated in the admin loses every open session at once.
        return ModelBackend.get_user(self, user_id)

    def retrieve_matching_jwk(self, token):
        """The provider's key for ``token``: by key id, or its only signing key if it names none.

        OpenID Connect Core 10.1 lets a provider with one key leave out "kid";
        mozilla-django-oidc then fails with a KeyError instead of a refusal.
        """
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT, verify=True
        )
        response.raise_for_status()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token unreadable: {error}") from error
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("use", "sig") == "sig"
            and key.get("alg", header.get("alg")) == header.get("alg")
            and ("kid" not in header or key.get("kid") == header["kid"])
        ]
        if len(keys) != 1:
            raise SuspiciousOperation("no single key of the provider matches the ID token")
        return jwt.PyJWK(keys[0])

    def _verify_jws(self, payload, key):
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token unreadable: {error}") from error
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {header.get('alg')!r}")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        # OpenID Connect Core 3.1.3.7: with several audiences, azp names us.
        several = isinstance(claims["aud"], list) and len(claims["aud"]) > 1
        if several and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token issued to another party (azp)")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: userinfo of another subject must not be used.
        if userinfo.get("sub") != payload["sub"]:
            raise SuspiciousOperation("userinfo answered for another subject")
        claims = {**payload, **userinfo}
        groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        if isinstance(groups, str):
            groups = [groups]
        user = services.sign_in_from_provider(
            issuer=payload["iss"], claims=claims, groups=[str(g) for g in groups]
        )
        if not roles_of(user):
            # Signed on, but no group grants a role: nothing here to work with.
            self.request.sso_refusal = "no_role"
            logger.warning("single sign-on of %s refused: no role", user.username)
            return None
        return user
