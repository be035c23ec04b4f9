"""The identity provider of the single sign-on tests (tests/accounts/oidc_provider.py)."""

import pytest

from tests.accounts.oidc_provider import configure, start_provider


@pytest.fixture
def identity_provider(monkeypatch):
    server, provider = start_provider(monkeypatch)
    yield provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def sso(settings, identity_provider):
    """Single sign-on configured against ``identity_provider``."""
    configure(settings, identity_provider)
    return identity_provider
