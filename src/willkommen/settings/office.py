"""The front desk's and the case files' settings, imported by settings/__init__.py.

Each is documented in docs/configuration.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from willkommen.env import env_list

# --- front desk (reception, call system, displays) --------------------------
# Who is called first; every priority must appear once.
FRONTDESK_PRIORITY_ORDER = env_list("FRONTDESK_PRIORITY_ORDER", "emergency,appointment,walk_in")
if sorted(FRONTDESK_PRIORITY_ORDER) != ["appointment", "emergency", "walk_in"]:
    raise ImproperlyConfigured(
        "FRONTDESK_PRIORITY_ORDER must list emergency, appointment and walk_in once each."
    )
# Unanswered calls after which a clerk may record a no-show.
FRONTDESK_NO_SHOW_AFTER_CALLS = int(os.environ.get("FRONTDESK_NO_SHOW_AFTER_CALLS", 3))
# Minutes after its start an appointment not checked in becomes a no-show.
FRONTDESK_APPOINTMENT_NO_SHOW_MINUTES = int(
    os.environ.get("FRONTDESK_APPOINTMENT_NO_SHOW_MINUTES", 15)
)
# Displays re-read the calls at least this often, whether or not they were woken.
FRONTDESK_DISPLAY_POLL_SECONDS = float(os.environ.get("FRONTDESK_DISPLAY_POLL_SECONDS", 2))
if not 0.2 <= FRONTDESK_DISPLAY_POLL_SECONDS <= 60:
    raise ImproperlyConfigured("FRONTDESK_DISPLAY_POLL_SECONDS must be between 0.2 and 60.")

# --- case files (cases/) ------------------------------------------------------
# Fewest closed comparable cases a forecast is based on.
CASE_FORECAST_MIN_SAMPLE = int(os.environ.get("CASE_FORECAST_MIN_SAMPLE", 10))
# Applicant status page: look-ups per client address, and per (address, reference), per hour.
# Never per reference alone: a stranger's wrong guesses must not lock the applicant out.
CASE_STATUS_ATTEMPTS_PER_HOUR = int(os.environ.get("CASE_STATUS_ATTEMPTS_PER_HOUR", 20))
CASE_STATUS_ATTEMPTS_PER_REFERENCE_PER_HOUR = int(
    os.environ.get("CASE_STATUS_ATTEMPTS_PER_REFERENCE_PER_HOUR", 10)
)
# Applicant uploads on the status page: three times this many per case per hour.
CASE_FORM_SUBMISSIONS_PER_HOUR = int(os.environ.get("CASE_FORM_SUBMISSIONS_PER_HOUR", 10))
