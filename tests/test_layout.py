"""The flow of ARCHITECTURE.md, checked on the imports: an app reads only from apps to
its left, the apps that attach to cases side by side import none of each other, and
nobody imports the demo package. One test for every app, so a new app is checked by
adding it to FLOW."""

import ast
from pathlib import Path

import pytest

import willkommen

# Left to right; a tuple is a group of siblings (same rank, none imports another).
FLOW = [
    "core",
    "accessibility",
    "accounts",
    "catalog",
    "booking",
    "frontdesk",
    "cases",
    ("intake", "payments", "outreach", "complaints", "knowledge"),
    "imports",
    "events",
    "monitoring",
    "controlling",
]
RANK = {
    app: rank
    for rank, step in enumerate(FLOW)
    for app in (step if isinstance(step, tuple) else (step,))
}
ROOT = Path(willkommen.__file__).parent


def imported_apps(app: str):
    """(file, app) for every import of another willkommen app or of demo in ``app``."""
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
                if node.module == "willkommen":
                    names = [f"willkommen.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                other = parts[1] if parts[0] == "willkommen" and len(parts) > 1 else None
                if other not in (None, app) and (other in RANK or other == "demo"):
                    yield str(path.relative_to(ROOT)), other


def test_every_app_is_placed_in_the_flow():
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps - {"demo"} == set(RANK)


@pytest.mark.parametrize("app", sorted(RANK, key=RANK.get))
def test_an_app_imports_only_apps_to_its_left(app):
    wrong = [
        (path, target)
        for path, target in imported_apps(app)
        if target == "demo" or RANK[target] >= RANK[app]
    ]
    assert wrong == []
