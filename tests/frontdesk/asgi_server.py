"""A real uvicorn server on the test database, for the display's live path."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_for_subprocess() -> str:
    """The test database as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class AsgiServer:
    def __init__(
        self, database_url: str, workers: int = 1, env: dict | None = None, port: int | None = None
    ):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn", "willkommen.asgi:application",
                "--app-dir", str(ROOT / "src"), "--host", "127.0.0.1",
                "--port", str(self.port), "--workers", str(workers), "--log-level", "warning",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url,
                "DEBUG": "true",
                "PUBLIC_BASE_URL": self.url,
                "RATE_LIMITS_ENABLED": "false",
                "PYTHONDONTWRITEBYTECODE": "1",
                **(env or {}),
            },
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz/live", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("uvicorn exited on start")
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("uvicorn did not answer within 30 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
