"""The production set-up on loopback, for the tests and the benchmarks.

nginx with the shipped configuration (deploy/nginx/), rendered for a temporary
directory and a free port, in front of gunicorn (deploy/gunicorn.conf.py) and uvicorn,
which listen on unix sockets in that directory. Nothing here serves requests itself:
it writes the configuration and starts the three programs as they ship.

    with Stack(env) as stack:      # env: DATABASE_URL, SECRET_KEY, ... for the servers
        httpx.get(stack.url + "/healthz")

``single=True`` (SQLite) runs one uvicorn behind both upstreams instead of gunicorn
and uvicorn: on SQLite a call wakes only the displays of its own process.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NGINX = Path(os.environ.get("NGINX", "/usr/sbin/nginx"))

# The production values in the shipped files, and what the rendering puts instead.
WEB_SOCKET = "unix:/run/willkommen-web/gunicorn.sock"
EVENTS_SOCKET = "unix:/run/willkommen-events/uvicorn.sock"
CACHE_PATH = "/var/cache/nginx/willkommen"
VAR_ROOT = "root /var/lib/willkommen;"
SNIPPETS = "include snippets/"
CERTIFICATE = "/etc/letsencrypt/live/termine.example.de/fullchain.pem"
CERTIFICATE_KEY = "/etc/letsencrypt/live/termine.example.de/privkey.pem"
SERVERS_MARK = "# --- servers"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def replace(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced; the shipped file must contain it."""
    if old not in text:
        raise ValueError(f"the shipped nginx configuration no longer contains {old!r}")
    return text.replace(old, new)


def render_site(directory: Path, *, var_dir: Path, port: int, tls_port: int | None = None) -> Path:
    """deploy/nginx/ written to ``directory`` for loopback. With ``tls_port``, the shipped
    servers as they are (HTTP on ``port``, HTTPS with a self-signed certificate on
    ``tls_port``); without, the shipped upstreams and cache with one plain-HTTP server on
    ``port`` around the shipped locations (what the tests and benchmarks talk to)."""
    snippets = directory / "snippets"
    snippets.mkdir(parents=True, exist_ok=True)
    for source in (DEPLOY / "nginx" / "snippets").glob("*.conf"):
        text = source.read_text()
        text = text.replace(SNIPPETS, f"include {snippets}/")
        if VAR_ROOT in text:
            text = replace(text, VAR_ROOT, f"root {var_dir};")
        (snippets / source.name).write_text(text)
    site = (DEPLOY / "nginx" / "willkommen.conf").read_text()
    site = replace(site, WEB_SOCKET, f"unix:{directory}/web.sock")
    site = replace(site, EVENTS_SOCKET, f"unix:{directory}/events.sock")
    site = replace(site, CACHE_PATH, str(directory / "cache"))
    site = site.replace(SNIPPETS, f"include {snippets}/")
    head, mark, servers = site.partition(SERVERS_MARK)
    if not mark:
        raise ValueError(f"the shipped nginx configuration lost its {SERVERS_MARK!r} line")
    if tls_port is None:
        site = head + (
            f"server {{\n    listen 127.0.0.1:{port};\n"
            f"    include {snippets}/willkommen.conf;\n}}\n"
        )
    else:
        certificate, key = self_signed_certificate(directory)
        servers = replace(servers, "listen 80;", f"listen 127.0.0.1:{port};")
        servers = replace(servers, "listen [::]:80;\n", "")
        servers = replace(servers, "listen 443 ssl", f"listen 127.0.0.1:{tls_port} ssl")
        servers = replace(servers, "listen [::]:443 ssl http2;\n", "")
        servers = replace(servers, CERTIFICATE, str(certificate))
        servers = replace(servers, CERTIFICATE_KEY, str(key))
        site = head + mark + servers
    (directory / "site.conf").write_text(site)
    main = directory / "nginx.conf"
    temp = directory / "temp"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the temp dir
    main.write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    # What each request cost: in all, and in the application server (its queue included).
    log_format timing '$request_method $uri $status $request_time $upstream_response_time '
                      '$upstream_cache_status';
    access_log {directory}/nginx-access.log timing;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {directory}/site.conf;
}}
"""
    )
    return main


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate),
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    return certificate, key


def nginx_check(main: Path) -> subprocess.CompletedProcess:
    """``nginx -t`` on a rendered configuration."""
    return subprocess.run(
        [str(NGINX), "-t", "-q", "-c", str(main), "-p", str(main.parent)],
        capture_output=True,
        text=True,
    )


class Stack:
    def __init__(
        self,
        env: dict,
        *,
        single: bool = False,
        web_workers: int | None = None,
        directory: Path | None = None,
    ):
        self.env = {"PYTHONDONTWRITEBYTECODE": "1", **env}
        self.single = single
        self.web_workers = web_workers
        self.owns_directory = directory is None
        self.directory = Path(directory or tempfile.mkdtemp(prefix="willkommen-stack-"))
        self.var_dir = Path(self.env.get("WILLKOMMEN_VAR_DIR", self.directory / "var"))
        self.env["WILLKOMMEN_VAR_DIR"] = str(self.var_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}

    def _start(self, name: str, command: list[str], env: dict | None = None) -> None:
        log = (self.directory / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env or {**os.environ, **self.env},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()

    def collectstatic(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
            cwd=ROOT, env={**os.environ, **self.env}, check=True,
        )  # fmt: skip

    def start(self, timeout: float = 60) -> Stack:
        main = render_site(self.directory, var_dir=self.var_dir, port=self.port)
        uvicorn = [
            sys.executable, "-m", "uvicorn", "willkommen.asgi:application",
            "--app-dir", str(ROOT / "src"), "--uds", str(self.directory / "events.sock"),
            "--no-access-log", "--log-level", "warning", "--timeout-graceful-shutdown", "2",
        ]  # fmt: skip
        self._start("uvicorn", uvicorn)
        if self.single:
            (self.directory / "web.sock").symlink_to(self.directory / "events.sock")
        else:
            gunicorn = [
                sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"),
                "--bind", f"unix:{self.directory / 'web.sock'}",
                # Each request's time inside gunicorn, in ms (the benchmarks read it).
                "--access-logfile", str(self.directory / "gunicorn-access.log"),
                "--access-logformat", "%(m)s %(U)s %(s)s %(M)s",
                "--pythonpath", str(ROOT / "src"), "willkommen.wsgi:application",
            ]  # fmt: skip
            if self.web_workers:
                gunicorn[-1:-1] = ["--workers", str(self.web_workers)]
            self._start("gunicorn", gunicorn)
        self._start("nginx", [str(NGINX), "-c", str(main), "-p", str(self.directory)], os.environ)
        try:
            self.wait_until_up(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        sockets = [self.directory / "events.sock", self.directory / "web.sock"]
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited on start:\n{self.logs()}")
            if all(path.exists() for path in sockets):
                try:
                    # Both upstreams answer: the health check through gunicorn, an event
                    # stream of no location (404) through uvicorn.
                    healthy = httpx.get(f"{self.url}/healthz/live", timeout=10).status_code == 200
                    probe = httpx.get(f"{self.url}/de/display/no-such-place/events", timeout=30)
                    if healthy and probe.status_code == 404:
                        return
                except httpx.HTTPError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"the stack did not answer within {timeout:.0f} s:\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.directory.glob("*.log"))
        )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        if self.owns_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
