"""PostgreSQL's LISTEN/NOTIFY between server processes, for news that may be lost.

``notify`` sends in the caller's transaction state (at once in autocommit, at commit
inside a transaction, never if it rolls back). A ``Listener`` is a daemon thread with
a connection of its own outside the pool that hands each payload of its channel to a
handler and reconnects after errors. Whoever uses this must cope with a lost
notification: the frontdesk displays (frontdesk/live.py) poll besides.
"""

from __future__ import annotations

import logging
import threading

from django.db import connection

logger = logging.getLogger(__name__)

RECONNECT_SECONDS = 1.0


def conninfo() -> str:
    """A libpq connection string for the default database, for connections of one's own."""
    from psycopg.conninfo import make_conninfo

    settings_dict = connection.settings_dict
    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
    }
    return make_conninfo(**{key: value for key, value in params.items() if value})


def notify(channel: str, payload: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [channel, payload])


class Listener(threading.Thread):
    def __init__(self, channel: str, handler, *, timeout: float = 1.0):
        super().__init__(name=f"listen-{channel}", daemon=True)
        self.channel = channel
        self.handler = handler
        self.timeout = timeout  # how often the stop flag is looked at
        self.stopping = threading.Event()
        self.listening = threading.Event()

    def run(self) -> None:
        import psycopg

        target = conninfo()
        while not self.stopping.is_set():
            try:
                with psycopg.connect(target, autocommit=True) as conn:
                    conn.execute(f'LISTEN "{self.channel}"')
                    self.listening.set()
                    while not self.stopping.is_set():
                        for message in conn.notifies(timeout=self.timeout):
                            self._handle(message.payload)
            except Exception:
                logger.warning("listener on %s lost its connection", self.channel, exc_info=True)
            self.listening.clear()
            self.stopping.wait(RECONNECT_SECONDS)

    def _handle(self, payload: str) -> None:
        try:
            self.handler(payload)
        except Exception:
            logger.warning("notification on %s not understood: %r", self.channel, payload)

    def stop(self, wait: float = 5.0) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(wait)
