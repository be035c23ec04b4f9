"""Request ids on every answer and log line; LOG_FORMAT=json writes one object a line."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db
GIVEN = "0123456789abcdef0123456789abcdef"  # what nginx's $request_id looks like


def test_each_answer_carries_a_new_request_id(client):
    first = client.get("/healthz/live")["X-Request-ID"]
    second = client.get("/healthz/live")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_the_proxys_id_is_taken_only_behind_our_proxy(client, settings):
    settings.TRUST_X_FORWARDED_FOR = False
    assert client.get("/healthz/live", HTTP_X_REQUEST_ID=GIVEN)["X-Request-ID"] != GIVEN
    settings.TRUST_X_FORWARDED_FOR = True
    assert client.get("/healthz/live", HTTP_X_REQUEST_ID=GIVEN)["X-Request-ID"] == GIVEN
    forged = client.get("/healthz/live", HTTP_X_REQUEST_ID="a b\nc")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_json_logs_name_the_request():
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        f"Client().get('/no-such-page-at-all/', HTTP_X_REQUEST_ID='{GIVEN}')\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "willkommen.settings",
        "LOG_FORMAT": "json",
        "TRUST_X_FORWARDED_FOR": "true",
        "DEBUG": "true",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
        "PYTHONPATH": str(ROOT / "src"),
    }
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stderr.splitlines() if line.startswith("{")]
    assert lines, run.stderr
    not_found = next(line for line in lines if line["logger"] == "django.request")
    assert not_found["level"] == "WARNING"
    assert "Not Found" in not_found["message"]
    assert not_found["request_id"] == GIVEN
    assert "time" in not_found


def test_an_unknown_log_format_is_refused():
    environment = {**os.environ, "LOG_FORMAT": "xml", "DEBUG": "true"}
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode != 0
    assert "LOG_FORMAT must be plain or json" in run.stderr
