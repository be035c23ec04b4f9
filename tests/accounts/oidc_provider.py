"""The city's identity provider for the single sign-on tests, on a loopback port.

oidc-provider-mock (authlib underneath) is a real OpenID provider: discovery, an
authorization page a person fills in, the token endpoint, RS256-signed ID tokens,
JWKS, userinfo and end_session. Two things a strict provider (and an attacker) does
are added around it as WSGI middleware:

- PKCE (RFC 7636): the mock ignores ``code_challenge``; ``StrictProvider`` binds every
  code it issues to its challenge and refuses a token request whose ``code_verifier``
  does not hash (S256) to it, like Keycloak with PKCE required.
- A forger between us and the provider: with ``forge_key`` set, the ID token is signed
  anew with that foreign key under the provider's own key id.

tests/accounts/conftest.py makes the fixtures ``identity_provider`` and ``sso`` of it.
"""

import base64
import hashlib
import io
import json
import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import werkzeug.serving
import werkzeug.test
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "willkommen-test"
CLIENT_SECRET = "client-secret-for-tests"


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class StrictProvider:
    def __init__(self, app):
        self.app = app
        self.challenges: dict[str, tuple[str | None, str | None]] = {}
        self.token_requests: list[dict[str, str]] = []
        self.forge_key = None

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        if path == "/oauth2/token":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            self.token_requests.append(form)
            challenge, method = self.challenges.pop(form.get("code", ""), (None, None))
            verifier = form.get("code_verifier", "")
            if not challenge or method != "S256" or s256(verifier) != challenge:
                payload = {"error": "invalid_grant", "error_description": "PKCE check failed"}
                start_response("400 Bad Request", [("Content-Type", "application/json")])
                return [json.dumps(payload).encode()]
        app_iter, status, headers = werkzeug.test.run_wsgi_app(self.app, environ)
        content = b"".join(app_iter)
        if path == "/oauth2/authorize" and status.startswith("302"):
            query = parse_qs(environ.get("QUERY_STRING", ""))
            code = parse_qs(urlsplit(headers["Location"]).query).get("code", [""])[0]
            self.challenges[code] = (
                query.get("code_challenge", [None])[0],
                query.get("code_challenge_method", [None])[0],
            )
        if path == "/oauth2/token" and status.startswith("200") and self.forge_key:
            content = self._forged(content)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(content))))
        start_response(status, list(headers))
        return [content]

    def _forged(self, content: bytes) -> bytes:
        answer = json.loads(content)
        kid = jwt.get_unverified_header(answer["id_token"]).get("kid")  # the provider's key id
        claims = jwt.decode(answer["id_token"], options={"verify_signature": False})
        answer["id_token"] = jwt.encode(
            claims, self.forge_key, algorithm="RS256", headers={"kid": kid} if kid else None
        )
        return json.dumps(answer).encode()


class IdentityProvider:
    """A running provider: its address, its people and the browser side of a login."""

    def __init__(self, server, strict: StrictProvider):
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.strict = strict

    def set_person(self, sub: str, **claims):
        """Creates or replaces the person ``sub`` and their claims (groups, e-mail, …)."""
        response = httpx.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    def authorize(self, authorization_url: str, sub: str) -> str:
        """What the person does on the provider's page; returns our callback address."""
        assert authorization_url.startswith(f"{self.url}/oauth2/authorize?")
        response = httpx.post(authorization_url, data={"sub": sub}, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    def forge_tokens(self):
        self.strict.forge_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def start_provider(monkeypatch, access_token_max_age=timedelta(hours=1)):
    import oidc_provider_mock

    # The mock's authlib refuses plain HTTP unless told; loopback only, in tests only.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    strict = StrictProvider(oidc_provider_mock.app(access_token_max_age=access_token_max_age))
    server = werkzeug.serving.make_server("127.0.0.1", 0, strict, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server, IdentityProvider(server, strict)


def configure(settings, provider: IdentityProvider):
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = provider.url
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/oauth2/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/oauth2/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/jwks"
    settings.OIDC_OP_END_SESSION_ENDPOINT = f"{provider.url}/oauth2/end_session"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_GROUP_ROLES = {"abh-sachbearbeitung": ["clerk"], "abh-leitung": ["team_lead"]}
    settings.OIDC_GROUP_TEAMS = {"abh-familie": ["familie"]}


def discovery(provider: IdentityProvider) -> dict:
    return httpx.get(f"{provider.url}/.well-known/openid-configuration", timeout=5).json()
