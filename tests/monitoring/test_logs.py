"""Request ids on every answer and log line; LOG_FORMAT=json writes one object a line."""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.core.django_process import ROOT, run_django

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
    run = run_django(
        f"Client().get('/no-such-page-at-all/', HTTP_X_REQUEST_ID='{GIVEN}')\n",
        LOG_FORMAT="json",
        TRUST_X_FORWARDED_FOR="true",
        DATABASE_URL="sqlite:///:memory:",
    )
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
