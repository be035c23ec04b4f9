"""Serve the ASGI application with uvicorn, with Nagle's algorithm off on every connection.

``uvicorn --workers N`` binds the listening socket itself and hands it to its worker
processes. That socket is created without ``proto=IPPROTO_TCP``; the accepted
connections inherit ``proto == 0``, and asyncio only switches on TCP_NODELAY for
sockets that say IPPROTO_TCP. Django's ASGI handler sends the headers and the body
of a response in two writes, so on every keep-alive request after the first the
body waits for the client's delayed ACK: about 40 ms on Linux, whatever the view
costs (uvicorn issue #3149). One worker process is not affected (asyncio binds that
socket from getaddrinfo), several are.

This command binds the socket with the protocol set and then runs uvicorn's own
server and supervisor on it, so the fix does not depend on patching uvicorn.

``--workers auto`` starts one worker process per CPU core the server may use. More
processes than cores make every request dearer: each process runs Python on one core
at a time (the interpreter lock), its request threads wait on the database and not on
each other, and processes beyond the cores only take turns on them, with PostgreSQL
beside them. In the booking rush on two cores a hold cost 4.2–4.4 ms of CPU with two
workers, 4.7–5.0 ms with three and 4.9–5.5 ms with four (bench/README.md). On SQLite
it refuses more than one: there a call wakes only the displays of its own process, the
others see it up to FRONTDESK_DISPLAY_POLL_SECONDS later (PostgreSQL tells every
process with NOTIFY), and the writers of several processes queue for the one file.
"""

import os
import socket

import uvicorn
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from uvicorn.supervisors import Multiprocess

APPLICATION = "willkommen.asgi:application"


class Config(uvicorn.Config):
    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
            # Same file descriptor, now known as TCP: accepted sockets inherit the
            # protocol, and asyncio sets TCP_NODELAY on them.
            sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        return sock


def cores() -> int:
    """The CPU cores this process may run on (its affinity, where the system tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(value: str) -> int:
    """``--workers``: a number of processes, or ``auto`` for one per core."""
    if value == "auto":
        return cores()
    try:
        count = int(value)
    except ValueError:
        raise CommandError("--workers must be a whole number or 'auto'.") from None
    if count < 1:
        raise CommandError("--workers must be at least 1.")
    return count


def build_config(options: dict) -> Config:
    return Config(
        APPLICATION,
        host=options["host"],
        port=options["port"],
        workers=worker_count(str(options["workers"])),
        proxy_headers=options["proxy_headers"],
        forwarded_allow_ips=options["forwarded_allow_ips"],
        timeout_keep_alive=options["timeout_keep_alive"],
        backlog=options["backlog"],
        access_log=not options["no_access_log"],
        log_level=options["log_level"],
    )


class Command(BaseCommand):
    help = (
        "Serve willkommen with uvicorn (ASGI). Use this instead of `uvicorn --workers N`: "
        "it keeps TCP_NODELAY on keep-alive connections with several worker processes."
    )
    requires_system_checks = []  # the workers run their own checks when they load Django

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            default="1",
            help="worker processes, or 'auto' for one per CPU core (the production choice; "
            "SQLite needs 1)",
        )
        parser.add_argument(
            "--proxy-headers",
            action="store_true",
            help="trust X-Forwarded-Proto/For from --forwarded-allow-ips (behind a proxy)",
        )
        parser.add_argument("--forwarded-allow-ips", default="127.0.0.1")
        parser.add_argument(
            "--timeout-keep-alive",
            type=int,
            default=5,
            help="seconds an idle keep-alive connection stays open (longer than the client's)",
        )
        parser.add_argument("--backlog", type=int, default=2048)
        parser.add_argument("--no-access-log", action="store_true")
        parser.add_argument(
            "--log-level",
            default="info",
            choices=["critical", "error", "warning", "info", "debug", "trace"],
        )

    def handle(self, *args, **options):
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        config = build_config(options)  # refuses a bad --workers, before binding
        if config.workers > 1 and connection.vendor == "sqlite":
            raise CommandError(
                "SQLite serves from one process (--workers 1): with more, a call would reach "
                "the displays of the other processes only by their polling, seconds late. "
                "Use PostgreSQL (DATABASE_URL) for more workers."
            )
        sock = config.bind_socket()
        if config.workers > 1:
            Multiprocess(config, sockets=[sock]).run()
        else:
            uvicorn.Server(config).run(sockets=[sock])
