"""Static files collected with DEBUG on serve a start with DEBUG off (issue 16)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RENDER_START_PAGE = (
    "from django.test import Client; "
    "response = Client().get('/de/'); "
    "print(response.status_code); "
    "print('/static/core/willkommen.' in response.content.decode())"
)


def test_files_collected_under_debug_serve_pages_with_debug_off(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "DEBUG"} | {
        "WILLKOMMEN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    def manage(*args, **env):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=environment | env,
            capture_output=True, text=True,
        )  # fmt: skip

    collected = manage("collectstatic", "--no-input", "--verbosity", "0", DEBUG="true")
    assert collected.returncode == 0, collected.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()  # the manifest, DEBUG or not

    migrated = manage("migrate", "--verbosity", "0", DEBUG="true")
    assert migrated.returncode == 0, migrated.stderr
    production = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50)}
    page = manage("shell", "-c", RENDER_START_PAGE, ALLOWED_HOSTS="testserver", **production)
    assert page.returncode == 0, page.stderr
    assert page.stdout.split()[-2:] == ["200", "True"], page.stderr[-2000:]
