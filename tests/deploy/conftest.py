import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))

import stack  # noqa: E402  (deploy/stack.py: the production set-up on loopback)


def require_program(path: Path, package: str) -> None:
    """Skip without ``path`` (with a message), unless CI=true, where it must be there."""
    if path.exists() or shutil.which(str(path)):
        return
    message = f"{path} is missing (apt-get install {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}, and CI=true requires it")
    pytest.skip(message)


@pytest.fixture
def nginx():
    require_program(stack.NGINX, "nginx")
    return stack.NGINX


@pytest.fixture
def openssl():
    require_program(Path("openssl"), "openssl")
