"""The expiry register's settings (outreach/), imported by settings/__init__.py.

Each is documented in docs/configuration.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from willkommen.env import env_list

# Weeks before a permit's expiry at which an invitation is mailed, each at most once.
try:
    OUTREACH_LEAD_WEEKS = sorted(
        {int(weeks) for weeks in env_list("OUTREACH_LEAD_WEEKS", "12,8,4")}, reverse=True
    )
except ValueError:
    raise ImproperlyConfigured("OUTREACH_LEAD_WEEKS must be whole numbers of weeks.") from None
if not OUTREACH_LEAD_WEEKS or not all(1 <= weeks <= 52 for weeks in OUTREACH_LEAD_WEEKS):
    raise ImproperlyConfigured("OUTREACH_LEAD_WEEKS must list weeks between 1 and 52.")
# The service the online extension opens cases for (and booking preselects).
OUTREACH_EXTENSION_SERVICE = os.environ.get(
    "OUTREACH_EXTENSION_SERVICE", "aufenthaltserlaubnis-verlaengern"
)
# How far ahead the expiry register looks by default.
OUTREACH_REGISTER_WEEKS = int(os.environ.get("OUTREACH_REGISTER_WEEKS", 16))
# Look-ups of the public receipt verification page per client address and hour.
OUTREACH_VERIFICATIONS_PER_ADDRESS_PER_HOUR = int(
    os.environ.get("OUTREACH_VERIFICATIONS_PER_ADDRESS_PER_HOUR", 30)
)
