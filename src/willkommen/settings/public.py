"""What the public side needs: uploads, mail, the office's address, rate limits,
proof-of-work and booking."""

import hashlib
import os

from django.core.exceptions import ImproperlyConfigured

from willkommen.env import env_bool, env_list
from willkommen.settings.base import (
    DEBUG,
    SECRET_KEY,
    TESTING,
    VAR_DIR,
)

# --- uploads (core/uploads/) -------------------------------------------------
# The file types an upload may be, sniffed from its content (not its name); the
# structure checks know pdf, jpeg and png, so the list can only leave some out.
UPLOAD_ALLOWED_TYPES = env_list("UPLOAD_ALLOWED_TYPES", "pdf,jpeg,png")
if not UPLOAD_ALLOWED_TYPES or set(UPLOAD_ALLOWED_TYPES) - {"pdf", "jpeg", "png"}:
    raise ImproperlyConfigured("UPLOAD_ALLOWED_TYPES must be a selection of pdf, jpeg, png.")
# Bytes per file (every upload path), PDF pages, image pixels (width × height).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
UPLOAD_MAX_PAGES = int(os.environ.get("UPLOAD_MAX_PAGES", 100))
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", 40_000_000))
# All streams of a PDF together may inflate to at most this many bytes (bombs).
UPLOAD_PDF_MAX_INFLATED_BYTES = int(
    os.environ.get("UPLOAD_PDF_MAX_INFLATED_BYTES", 1024 * 1024 * 1024)
)
# Sign-language videos (accessibility) and their WebVTT captions, uploaded by staff in
# the admin. Below clamd's default StreamMaxLength (25M) and nginx's body limit (64m).
UPLOAD_VIDEO_MAX_BYTES = int(os.environ.get("UPLOAD_VIDEO_MAX_BYTES", 24 * 1024 * 1024))
UPLOAD_CAPTIONS_MAX_BYTES = int(os.environ.get("UPLOAD_CAPTIONS_MAX_BYTES", 512 * 1024))
# How long a form keeps the files that passed while another field was refused.
UPLOAD_HOLD_SECONDS = int(os.environ.get("UPLOAD_HOLD_SECONDS", 3600))
# The upload limit is applied while the body is read (core/uploads/limits.py).
FILE_UPLOAD_HANDLERS = [
    "willkommen.core.uploads.limits.UploadSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# ClamAV's clamd: a unix socket, or host and port; neither = no virus scan
# (documents record "not_configured"; start-up and check --deploy warn).
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = int(os.environ.get("CLAMD_PORT", 3310))
# Seconds for connecting to clamd and for each read or write of a scan.
CLAMD_TIMEOUT = float(os.environ.get("CLAMD_TIMEOUT", 30))

# --- mail -----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 1025))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
# For the file backend (`make run` writes mails there instead of sending them).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Ausländerbehörde <noreply@abh.example.de>"
)

# --- the office ------------------------------------------------------------
OFFICE_NAME = os.environ.get("OFFICE_NAME", "Ausländerbehörde")

# --- rate limits (core/ratelimit.py) ----------------------------------------
# Counted in the database, so they hold across all server processes. Switching
# them off is for load benchmarks on a closed machine only.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
# Behind our own reverse proxy the client address is the last X-Forwarded-For
# entry; without a proxy the header is the client's invention and is ignored.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
# Public forms that send mail or open something (emergency request, contact, § 81a,
# naturalisation; core/protection.py): submissions per client address per hour, and
# mails per target e-mail address per day, counted over all these forms together.
PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = int(
    os.environ.get("PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR", 10)
)
PUBLIC_FORM_SUBMISSIONS_PER_EMAIL_PER_DAY = int(
    os.environ.get("PUBLIC_FORM_SUBMISSIONS_PER_EMAIL_PER_DAY", 3)
)

# The no-script path of the proof-of-work (core/noscript.py): a form sent without
# JavaScript is accepted with its signed waiting ticket once the ticket is this many
# seconds old, at most this many times per client address per hour over all forms.
NOSCRIPT_WAIT_SECONDS = int(os.environ.get("NOSCRIPT_WAIT_SECONDS", 15))
NOSCRIPT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = int(
    os.environ.get("NOSCRIPT_SUBMISSIONS_PER_ADDRESS_PER_HOUR", 5)
)

# --- booking ----------------------------------------------------------------
# How long an online hold waits for the click on the link in the e-mail.
BOOKING_HOLD_MINUTES = int(os.environ.get("BOOKING_HOLD_MINUTES", 10))
# A cancelled appointment's time becomes bookable again only after this delay,
# so that a booked slot cannot be handed over by cancelling and rebooking at once.
BOOKING_CANCELLED_RETURN_MINUTES = int(os.environ.get("BOOKING_CANCELLED_RETURN_MINUTES", 30))
# Seconds a shared cache (nginx in front) may keep the public availability answers
# (Cache-Control: public, max-age); holds are decided by the database regardless.
BOOKING_AVAILABILITY_MAX_AGE = int(os.environ.get("BOOKING_AVAILABILITY_MAX_AGE", 1))
BOOKING_AVAILABILITY_STALE_SECONDS = int(os.environ.get("BOOKING_AVAILABILITY_STALE_SECONDS", 2))
# Emergency requests not handled within this many hours are flagged for staff.
BOOKING_EMERGENCY_TRIAGE_HOURS = int(os.environ.get("BOOKING_EMERGENCY_TRIAGE_HOURS", 24))
# ALTCHA proof-of-work before an online hold and on every public form that sends
# mail (core/protection.py). Switching it off is for tests and
# benchmarks. With DEBUG off, ALTCHA_ENABLED=false is refused unless
# ALTCHA_ALLOW_DISABLED=true says so explicitly too (a benchmark, never an office).
ALTCHA_ENABLED = env_bool("ALTCHA_ENABLED", not TESTING)
if not ALTCHA_ENABLED and not (DEBUG or TESTING) and not env_bool("ALTCHA_ALLOW_DISABLED", False):
    raise ImproperlyConfigured(
        "ALTCHA_ENABLED=false with DEBUG off needs ALTCHA_ALLOW_DISABLED=true as well."
    )
# Work per challenge: SHA-256 rounds per attempt (about 256 attempts are needed).
ALTCHA_COST = int(os.environ.get("ALTCHA_COST", 500))
ALTCHA_HMAC_KEY = os.environ.get(
    "ALTCHA_HMAC_KEY", hashlib.sha256(f"altcha:{SECRET_KEY}".encode()).hexdigest()
)
# Rate limits of booking (per client IP and per e-mail address, across processes).
BOOKING_HOLDS_PER_IP_PER_HOUR = int(os.environ.get("BOOKING_HOLDS_PER_IP_PER_HOUR", 20))
BOOKING_HOLDS_PER_EMAIL_PER_DAY = int(os.environ.get("BOOKING_HOLDS_PER_EMAIL_PER_DAY", 5))
# Confirm, cancel and rebook with a link's token (pages and API): per client address per hour.
BOOKING_LINK_ACTIONS_PER_IP_PER_HOUR = int(
    os.environ.get("BOOKING_LINK_ACTIONS_PER_IP_PER_HOUR", 30)
)

# --- accessibility (barrier reports) ------------------------------------------
# Days after its closing that a barrier report keeps the reporter's contact and text.
ACCESSIBILITY_REPORT_RETENTION_DAYS = int(
    os.environ.get("ACCESSIBILITY_REPORT_RETENTION_DAYS", 365)
)
if ACCESSIBILITY_REPORT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("ACCESSIBILITY_REPORT_RETENTION_DAYS must be at least 1.")
