import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "SECRET_KEY": "x" * 60 + "production-like-secret",
    "ALLOWED_HOSTS": "termine.example.de",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "CLAMD_SOCKET": "/var/run/clamav/clamd.ctl",  # uploads.W001 otherwise
    "SILENCED_SYSTEM_CHECKS": "security.W021",  # HSTS preload list: the operator's decision
}


def manage(*args, **env):
    unset = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unset} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=environment, capture_output=True, text=True
    )


def test_documented_production_settings_pass_the_deployment_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start():
    result = manage("check", **(PRODUCTION | {"SECRET_KEY": ""}))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_unreadable_booleans_stop_the_start_with_a_clear_error(value):
    result = manage("check", **(PRODUCTION | {"SECURE_SSL_REDIRECT": value}))
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be true or false" in result.stderr


def database_options(**env) -> subprocess.CompletedProcess:
    """The default database's OPTIONS as settings make them from ``env`` (PostgreSQL)."""
    show = (
        "from django.conf import settings; "
        "print(sorted(settings.DATABASES['default']['OPTIONS'].items()))"
    )
    return manage(
        "shell", "-c", show, DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/willkommen", **env,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "[('prepare_threshold', 2), ('server_side_binding', True)]"),
        (
            {"DB_PREPARE_THRESHOLD": "5"},
            "[('prepare_threshold', 5), ('server_side_binding', True)]",
        ),
        ({"DB_PREPARE_THRESHOLD": "off"}, "[('server_side_binding', True)]"),
        ({"DB_SERVER_SIDE_BINDING": "false"}, "[]"),  # behind an old PgBouncer: neither
    ],
)
def test_postgresql_binds_on_the_server_and_prepares_what_runs_again(env, expected):
    result = database_options(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_an_unreadable_prepare_threshold_stops_the_start_with_a_clear_error():
    result = database_options(DB_PREPARE_THRESHOLD="often")
    assert result.returncode != 0
    assert "DB_PREPARE_THRESHOLD must be a whole number" in result.stderr
