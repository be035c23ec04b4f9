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
"""

import socket

import uvicorn
from django.core.management.base import BaseCommand, CommandError
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


def build_config(options: dict) -> Config:
    return Config(
        APPLICATION,
        host=options["host"],
        port=options["port"],
        workers=options["workers"],
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
        parser.add_argument("--workers", type=int, default=1, help="worker processes")
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
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        config = build_config(options)
        sock = config.bind_socket()
        if config.workers > 1:
            Multiprocess(config, sockets=[sock]).run()
        else:
            uvicorn.Server(config).run(sockets=[sock])
