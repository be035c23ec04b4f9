"""Fees and payments (payments/), imported by settings/__init__.py.

Each is documented in docs/configuration.md. Secrets may also be given as a file
(``…_FILE``, e.g. a systemd credential), so they need not stand in the environment.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def _secret(name: str) -> str:
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, "")


# Which adapter online payment uses: xbezahldienste, girocheckout, or empty (off).
PAYMENTS_PROVIDER = os.environ.get("PAYMENTS_PROVIDER", "")
if PAYMENTS_PROVIDER not in {"", "xbezahldienste", "girocheckout"}:
    raise ImproperlyConfigured("PAYMENTS_PROVIDER must be xbezahldienste, girocheckout or empty.")
PAYMENTS_PROVIDER_TIMEOUT_SECONDS = float(os.environ.get("PAYMENTS_PROVIDER_TIMEOUT_SECONDS", 10))
# Starting online payment: at most this many per case and hour.
PAYMENTS_STARTS_PER_CASE_PER_HOUR = int(os.environ.get("PAYMENTS_STARTS_PER_CASE_PER_HOUR", 10))

XBEZAHLDIENSTE_BASE_URL = os.environ.get("XBEZAHLDIENSTE_BASE_URL", "")
XBEZAHLDIENSTE_ORIGINATOR_ID = os.environ.get("XBEZAHLDIENSTE_ORIGINATOR_ID", "")
XBEZAHLDIENSTE_ENDPOINT_ID = os.environ.get("XBEZAHLDIENSTE_ENDPOINT_ID", "")
XBEZAHLDIENSTE_USERNAME = os.environ.get("XBEZAHLDIENSTE_USERNAME", "")
XBEZAHLDIENSTE_PASSWORD = _secret("XBEZAHLDIENSTE_PASSWORD")

GIROCHECKOUT_BASE_URL = os.environ.get("GIROCHECKOUT_BASE_URL", "")
GIROCHECKOUT_MERCHANT_ID = os.environ.get("GIROCHECKOUT_MERCHANT_ID", "")
GIROCHECKOUT_PROJECT_ID = os.environ.get("GIROCHECKOUT_PROJECT_ID", "")
GIROCHECKOUT_SECRET = _secret("GIROCHECKOUT_SECRET")
