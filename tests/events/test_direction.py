"""events and monitoring stand right of cases: no app to their left imports them."""

from pathlib import Path

import pytest

import willkommen
from tests.core.test_pages import _imported_modules

LEFT = ("core", "accessibility", "accounts", "catalog", "booking", "frontdesk", "cases")


@pytest.mark.parametrize("app", LEFT)
def test_no_app_to_the_left_imports_events_or_monitoring(app):
    root = Path(willkommen.__file__).parent / app
    offenders = [
        (str(path.relative_to(root)), module)
        for path in root.rglob("*.py")
        for module in _imported_modules(path)
        if module.startswith(("willkommen.events", "willkommen.monitoring"))
    ]
    assert offenders == []


def test_events_does_not_import_monitoring():
    root = Path(willkommen.__file__).parent / "events"
    modules = {m for path in root.rglob("*.py") for m in _imported_modules(path)}
    assert not {m for m in modules if m.startswith("willkommen.monitoring")}
