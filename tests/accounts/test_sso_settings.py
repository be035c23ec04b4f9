"""settings/accounts.py: single sign-on is all or nothing, and mistakes stop the start."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

import willkommen.settings.accounts as accounts_settings

COMPLETE = {
    "OIDC_ISSUER": "https://login.stadt.example/realms/abh/",
    "OIDC_AUTHORIZATION_ENDPOINT": "https://login.stadt.example/auth",
    "OIDC_TOKEN_ENDPOINT": "https://login.stadt.example/token",
    "OIDC_USERINFO_ENDPOINT": "https://login.stadt.example/userinfo",
    "OIDC_JWKS_ENDPOINT": "https://login.stadt.example/certs",
    "OIDC_CLIENT_ID": "willkommen",
    "OIDC_CLIENT_SECRET": "secret",
}


@pytest.fixture
def environment(monkeypatch):
    for name in [
        *COMPLETE,
        "OIDC_GROUP_ROLES",
        "OIDC_GROUP_TEAMS",
        "OIDC_SCOPES",
        "LOCAL_PASSWORD_LOGIN",
    ]:
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    monkeypatch.undo()
    importlib.reload(accounts_settings)


def load(environment, **values):
    for name, value in values.items():
        environment.setenv(name, value)
    return importlib.reload(accounts_settings)


def test_off_without_configuration(environment):
    loaded = load(environment)
    assert loaded.OIDC_ENABLED is False
    assert loaded.LOCAL_PASSWORD_LOGIN is True


def test_on_when_complete_with_mappings(environment):
    loaded = load(
        environment,
        **COMPLETE,
        OIDC_GROUP_ROLES='{"cn=abh,ou=groups": "clerk", "/abh/leitung": ["team_lead", "clerk"]}',
        OIDC_GROUP_TEAMS='{"/abh/familie": "familie"}',
        LOCAL_PASSWORD_LOGIN="false",
    )
    assert loaded.OIDC_ENABLED is True
    assert loaded.OIDC_ISSUER == "https://login.stadt.example/realms/abh"
    assert loaded.OIDC_GROUP_ROLES == {
        "cn=abh,ou=groups": ["clerk"],
        "/abh/leitung": ["team_lead", "clerk"],
    }
    assert loaded.OIDC_GROUP_TEAMS == {"/abh/familie": ["familie"]}
    assert loaded.LOCAL_PASSWORD_LOGIN is False
    assert loaded.OIDC_USE_PKCE and loaded.OIDC_RP_SIGN_ALGO == "RS256"


def test_half_configured_names_what_is_missing(environment):
    partial = {k: v for k, v in COMPLETE.items() if k != "OIDC_CLIENT_SECRET"}
    with pytest.raises(ImproperlyConfigured, match="OIDC_CLIENT_SECRET"):
        load(environment, **partial)


@pytest.mark.parametrize(
    "value", ["clerk", "[1, 2]", '{"g": 3}', '{"g": ["clerk", 1]}', "{not json"]
)
def test_a_mapping_that_is_no_json_object_of_names_stops_the_start(environment, value):
    with pytest.raises(ImproperlyConfigured, match="OIDC_GROUP_ROLES"):
        load(environment, **COMPLETE, OIDC_GROUP_ROLES=value)


def test_passwords_off_without_single_sign_on_stops_the_start(environment):
    with pytest.raises(ImproperlyConfigured, match="LOCAL_PASSWORD_LOGIN"):
        load(environment, LOCAL_PASSWORD_LOGIN="false")


def test_scopes_without_openid_stop_the_start(environment):
    with pytest.raises(ImproperlyConfigured, match="openid"):
        load(environment, **COMPLETE, OIDC_SCOPES="email profile")
