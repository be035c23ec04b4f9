"""`make serve` (what `make run` ends with): one server and the worker, stopped by Ctrl-C."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.frontdesk.asgi_server import database_url_for_subprocess, free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def children_of(group: int) -> list[str]:
    """The commands still running in process group ``group``."""
    listing = subprocess.run(["ps", "-eo", "pgid=,args="], capture_output=True, text=True)
    return [
        line.split(None, 1)[1]
        for line in listing.stdout.splitlines()
        if line.split(None, 1)[0] == str(group)
    ]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_ctrl_c_stops_the_server_and_the_worker_without_a_traceback(tmp_path):
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in {"HOST", "PUBLIC_BASE_URL"}}
    environment |= {
        "DATABASE_URL": database_url_for_subprocess(),
        "WILLKOMMEN_VAR_DIR": str(tmp_path),
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    log = (tmp_path / "make.log").open("w")
    make = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"], cwd=ROOT, env=environment,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz/live", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert make.poll() is None, (tmp_path / "make.log").read_text()
            assert time.monotonic() < deadline, "make serve did not answer"
            time.sleep(0.3)
        running = " ".join(children_of(make.pid))
        assert "uvicorn" in running and "manage.py worker" in running

        os.killpg(make.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        make.wait(timeout=60)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
        log.close()
    output = (tmp_path / "make.log").read_text()
    assert "Traceback" not in output and "Segmentation fault" not in output, output
    assert "Finished server process" in output  # uvicorn shut down, not killed
    time.sleep(0.5)
    assert children_of(make.pid) == []  # the worker went too
