"""Run a few lines of Python in a fresh Django process, with its own environment.

For what one test process cannot show: settings read at start (LOG_FORMAT, a database
that is not there), or several processes writing to one place.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PREAMBLE = "import django; django.setup()\nfrom django.test import Client\n"


def run_django(script: str, **environment: str) -> subprocess.CompletedProcess:
    """``script`` after django.setup() (``Client`` imported); fails the test if it fails."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "willkommen.settings",
        "DEBUG": "true",
        "ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": str(ROOT / "src"),
        **environment,
    }
    run = subprocess.run(
        [sys.executable, "-c", PREAMBLE + script], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return run
