import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

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


def readme_production_settings() -> dict[str, str]:
    """The settings README.md's "Production" lists, each ``<…>`` filled in."""
    production = (ROOT / "README.md").read_text().split("## Production", 1)[1]
    block = re.search(r"```sh\n(.*?)```", production, re.DOTALL).group(1)
    settings = dict(line.strip().split("=", 1) for line in block.splitlines() if line.strip())
    return {
        name: secrets.token_urlsafe(50) if re.fullmatch(r"<[^>]*>", value) else value
        for name, value in settings.items()
    }


def test_the_settings_the_readme_lists_pass_the_deployment_check(tmp_path):
    env = readme_production_settings()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "SECURE_HSTS_PRELOAD", "DATABASE_URL"} <= set(env)
    env["WILLKOMMEN_VAR_DIR"] = str(tmp_path)  # settings create it; not /var/lib here
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_shipped_environment_file_is_the_readmes_list():
    shipped = (ROOT / "deploy" / "willkommen.env").read_text().splitlines()
    names = [line.split("=", 1)[0] for line in shipped if line and not line.startswith("#")]
    assert names == list(readme_production_settings())


def show_setting(name: str, **env) -> subprocess.CompletedProcess:
    code = f"from django.conf import settings; print(settings.{name})"
    unset = {"HOST", "PORT", "PUBLIC_BASE_URL"}
    environment = {k: v for k, v in os.environ.items() if k not in unset} | env
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env={**environment, "DEBUG": "true"}, capture_output=True, text=True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8101"}, "http://127.0.0.1:8101"),  # make run PORT=8101
        ({"HOST": "192.0.2.5", "PORT": "8101"}, "http://192.0.2.5:8101"),
        ({"HOST": "::1", "PORT": "8101"}, "http://[::1]:8101"),
        ({"HOST": "0.0.0.0", "PORT": "8101"}, "http://127.0.0.1:8101"),  # noqa: S104
        ({"PORT": "8101", "PUBLIC_BASE_URL": "https://termine.example.de/"},
         "https://termine.example.de"),
    ],
)  # fmt: skip
def test_the_public_address_follows_the_servers_host_and_port_unless_set(env, expected):
    result = show_setting("PUBLIC_BASE_URL", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_the_ticket_qr_code_leads_to_the_port_make_run_serves_on():
    code = (
        "from willkommen.frontdesk.models import Visit; "
        "from willkommen.frontdesk.tickets import public_url; "
        "print(public_url(None, Visit(token='abc')))"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"HOST", "PUBLIC_BASE_URL"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env={**environment, "DEBUG": "true", "PORT": "8101"}, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("http://127.0.0.1:8101/")


def test_a_port_that_is_no_port_stops_the_start_with_a_clear_error():
    result = show_setting("PUBLIC_BASE_URL", PORT="eighty")
    assert result.returncode != 0
    assert "PORT must be a port number" in result.stderr


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
