import pytest

from willkommen.catalog.services import load_catalog_file


@pytest.fixture
def demo_catalog(db):
    """The demo catalogue as shipped (20 services, two locations)."""
    return load_catalog_file()


# --- ClamAV's clamd, started by the tests (uploads) ---------------------------

EICAR = "".join(  # kept in pieces, so this file is not itself the test virus
    ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-", "TEST-FILE!$H+H*"]
).encode()


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    """A real clamd (Debian's clamav-daemon) on a unix socket and a loopback TCP port.

    Its signature database is written here (the EICAR test signature), since no
    definitions can be downloaded. Without clamd installed the test is skipped,
    unless CI=true.
    """
    import os
    import shutil
    import socket
    import subprocess
    import time
    from types import SimpleNamespace

    binary = shutil.which("clamd") or (
        "/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None
    )
    if binary is None:
        message = "clamd is not installed (apt-get install clamav-daemon); virus-scan tests skipped"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    home = tmp_path_factory.mktemp("clamd")
    (home / "db").mkdir()
    (home / "tmp").mkdir()
    (home / "db" / "willkommen-test.ndb").write_text(f"Willkommen.Test.EICAR:0:*:{EICAR.hex()}\n")
    with socket.socket() as probe:  # a free loopback port, chosen now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = home / "clamd.sock"
    (home / "clamd.conf").write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {path}",
                "TCPAddr 127.0.0.1",
                f"TCPSocket {port}",
                f"DatabaseDirectory {home / 'db'}",
                f"TemporaryDirectory {home / 'tmp'}",
                f"LogFile {home / 'clamd.log'}",
                "StreamMaxLength 20M",
                "MaxThreads 2",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [binary, "-c", str(home / "clamd.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.socket(socket.AF_UNIX) as conn:
                conn.settimeout(2)
                conn.connect(str(path))
                conn.sendall(b"zPING\0")
                if conn.recv(16).startswith(b"PONG"):
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = (home / "clamd.log").read_text() if (home / "clamd.log").exists() else ""
            pytest.fail(f"clamd did not start:\n{log[-2000:]}")
        time.sleep(0.2)
    yield SimpleNamespace(socket=str(path), host="127.0.0.1", port=port, home=home)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


# --- tests that touch no database run once --------------------------------------

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, leave out the tests that use no database at all.

    `make test` runs the suite on SQLite and on PostgreSQL. A test that never opens a
    connection (a PDF, a parser, a template file, the layout) runs the same code on
    both, so the PostgreSQL run would only repeat it; the SQLite run keeps it.
    ``WILLKOMMEN_TEST_ALL=true`` runs them on PostgreSQL too.
    """
    import os

    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    if os.environ.get("WILLKOMMEN_TEST_ALL") == "true":
        return
    kept, left_out = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") or (
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (kept if uses_database else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
