"""knowledge stands right of cases: no app to its left imports it (they get its panels
through core.panels), and it imports none to its right."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "willkommen"
LEFT = ("core", "accessibility", "accounts", "catalog", "booking", "frontdesk", "cases")
RIGHT = ("controlling", "demo")


def imported_modules(folder: Path):
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                yield path, [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield path, [node.module]


def test_no_app_to_the_left_imports_knowledge():
    found = [
        str(path.relative_to(SRC))
        for app in LEFT
        for path, names in imported_modules(SRC / app)
        if any(name.startswith("willkommen.knowledge") for name in names)
    ]
    assert found == []


def test_knowledge_imports_no_app_to_its_right():
    found = [
        str(path.relative_to(SRC))
        for path, names in imported_modules(SRC / "knowledge")
        if any(name.startswith(tuple(f"willkommen.{app}" for app in RIGHT)) for name in names)
    ]
    assert found == []
