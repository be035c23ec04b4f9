"""The demo accessibility statement (all nine languages), written through the services."""

import json
from datetime import date
from pathlib import Path

from willkommen.accessibility import selectors, services

STATEMENT_FILE = Path(__file__).parent / "data" / "accessibility_statement.json"


def load(path: Path = STATEMENT_FILE) -> str:
    """Publish the demo statement once; an office's own published statement is left alone."""
    if selectors.current_statement() is not None:
        return "a statement is already published"
    data = json.loads(path.read_text(encoding="utf-8"))
    fields = dict(data["statement"])
    for name in ("evaluated_on", "prepared_on", "reviewed_on"):
        fields[name] = date.fromisoformat(fields[name])
    draft = services.create_draft(fields, data["parts"])
    published = services.publish(draft)
    return f"published {published}"
