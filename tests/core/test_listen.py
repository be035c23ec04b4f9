"""core.listen: a listener thread hands payloads on and survives a bad one (PostgreSQL)."""

import queue
import time

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


@pytest.mark.django_db(transaction=True)
def test_listener_reconnects_after_losing_its_connection(caplog):
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY: PostgreSQL only")
    heard = queue.Queue()
    listener = listen.Listener("willkommen_test", heard.put, timeout=0.2)
    listener.start()
    try:
        assert listener.listening.wait(5)
        with psycopg.connect(listen.conninfo(), autocommit=True) as other:
            # What a server restart or a network cut does to the listening connection.
            other.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN \"willkommen_test\"%%' AND pid <> pg_backend_pid()"
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # listening again on a new connection
                other.execute("SELECT pg_notify('willkommen_test', 'after the cut')")
                try:
                    assert heard.get(timeout=0.5) == "after the cut"
                    break
                except queue.Empty:
                    continue
            else:
                pytest.fail("the listener did not come back within 10 s")
    finally:
        listener.stop()
    assert "listener on willkommen_test lost its connection" in caplog.text  # it was cut
