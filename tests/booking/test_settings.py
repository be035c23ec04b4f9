"""ALTCHA can be switched off for tests and benchmarks, but not silently in production."""

from tests.core.test_settings import PRODUCTION, manage


def test_altcha_off_with_debug_off_is_refused():
    result = manage("check", **(PRODUCTION | {"ALTCHA_ENABLED": "false"}))
    assert result.returncode != 0
    assert "ALTCHA_ALLOW_DISABLED" in result.stderr


def test_altcha_off_with_explicit_acknowledgement_starts():
    result = manage(
        "check", **(PRODUCTION | {"ALTCHA_ENABLED": "false", "ALTCHA_ALLOW_DISABLED": "true"})
    )
    assert result.returncode == 0, result.stderr


def test_altcha_off_in_debug_needs_no_acknowledgement():
    result = manage("check", DEBUG="true", ALTCHA_ENABLED="false")
    assert result.returncode == 0, result.stderr
