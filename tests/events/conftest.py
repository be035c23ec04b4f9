"""A webhook receiver on a loopback port: a real HTTP server in a thread of the test.

It checks nothing itself; it answers what the test scripts (``answers``: status codes
in order, then 204) and keeps every request as it arrived. ``hold`` makes it wait
before answering, so a test can kill the sender while a request is in flight.
"""

import http.server
import threading
from dataclasses import dataclass, field

import pytest

from tests.booking.conftest import frozen_clock  # noqa: F401 - the shared fixture


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    hold: threading.Event | None = None
    arrived: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def receiver():
    state = Receiver(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            state.arrived.set()
            if state.hold is not None:
                state.hold.wait(30)
            status = state.answers.pop(0) if state.answers else 204
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/willkommen"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    if state.hold is not None:
        state.hold.set()
    server.shutdown()
    server.server_close()
