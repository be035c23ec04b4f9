"""The complaints' settings (complaints/), imported by settings/__init__.py.

Each is documented in docs/configuration.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from willkommen.env import env_bool

# Days from receipt (the office's day) to the answer deadline: two weeks.
COMPLAINT_ANSWER_DAYS = int(os.environ.get("COMPLAINT_ANSWER_DAYS", 14))
# This many days before the deadline an unanswered complaint without an interim
# reply is flagged "interim reply due" on the staff list.
COMPLAINT_INTERIM_PROMPT_DAYS = int(os.environ.get("COMPLAINT_INTERIM_PROMPT_DAYS", 3))
if not 1 <= COMPLAINT_ANSWER_DAYS <= 365:
    raise ImproperlyConfigured("COMPLAINT_ANSWER_DAYS must be between 1 and 365.")
if not 0 <= COMPLAINT_INTERIM_PROMPT_DAYS < COMPLAINT_ANSWER_DAYS:
    raise ImproperlyConfigured(
        "COMPLAINT_INTERIM_PROMPT_DAYS must be at least 0 and less than COMPLAINT_ANSWER_DAYS."
    )
# A complaint about a team is handled by staff outside that team.
COMPLAINT_HANDLED_OUTSIDE_TEAM = env_bool("COMPLAINT_HANDLED_OUTSIDE_TEAM", True)
# Largest .eml file staff may import.
COMPLAINT_EML_MAX_BYTES = int(os.environ.get("COMPLAINT_EML_MAX_BYTES", 2 * 1024 * 1024))
