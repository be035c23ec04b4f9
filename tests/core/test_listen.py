"""core.listen: a listener thread hands payloads on and survives a bad one (PostgreSQL)."""

import queue

import psycopg
import pytest
from django.db import connection

from willkommen.core import listen


@pytest.mark.django_db(transaction=True)
def test_listener_hands_payloads_on_and_survives_a_handler_error():
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY: PostgreSQL only")
    heard = queue.Queue()

    def handler(payload):
        if payload == "bad":
            raise ValueError(payload)
        heard.put(payload)

    listener = listen.Listener("willkommen_test", handler, timeout=0.2)
    listener.start()
    try:
        assert listener.listening.wait(5)
        with psycopg.connect(listen.conninfo(), autocommit=True) as other:
            for payload in ("bad", "good"):
                other.execute("SELECT pg_notify('willkommen_test', %s)", [payload])
        assert heard.get(timeout=5) == "good"
        listen.notify("willkommen_test", "from django")  # autocommit: sent at once
        assert heard.get(timeout=5) == "from django"
    finally:
        listener.stop()
    assert not listener.is_alive()
