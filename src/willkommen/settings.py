"""Django settings for willkommen.

Every setting that an operator may change is read from the environment here,
and only here. Each one is documented in docs/configuration.md.
"""

import hashlib
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent  # the repository root (src/willkommen/ -> ./)
VAR_DIR = Path(os.environ.get("WILLKOMMEN_VAR_DIR", BASE_DIR / "var"))


from willkommen.env import env_bool, env_list  # noqa: E402

# pytest imports this module; tests get a throwaway key and fast hashing.
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
# Earlier keys, newest first: signatures and HMACs made with them (sessions, access
# codes, links) are still accepted while new ones use SECRET_KEY.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

# Where `make run` serves (HOST, PORT): the default of ALLOWED_HOSTS and PUBLIC_BASE_URL.
SERVER_HOST = os.environ.get("HOST", "").strip() or "127.0.0.1"
SERVER_PORT = os.environ.get("PORT", "").strip() or "8000"
if not SERVER_PORT.isdigit() or not 0 < int(SERVER_PORT) < 65536:
    raise ImproperlyConfigured(f"PORT must be a port number (1-65535), not {SERVER_PORT!r}")


def _public_host(host: str) -> str:
    """The host as a URL writes it: IPv6 in brackets; "all interfaces" as this machine."""
    if host in ("0.0.0.0", "::", "[::]"):  # noqa: S104 (only for the link, not a bind)
        return "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ",".join(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", SERVER_HOST]))
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Behind a TLS-terminating reverse proxy, cookies must only travel over HTTPS.
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
# The language last read is remembered a year (core.middleware.LanguageMiddleware):
# a functional cookie, no tracking; the privacy page says so.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS: usually the reverse proxy redirects and sets HSTS; these let the
# application do it when there is no such proxy. HSTS is sticky in browsers:
# only switch it on once HTTPS works for good.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
# Asks browsers' HSTS preload lists to include the domain (submit it at hstspreload.org).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", "")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))  # one working day
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "willkommen.core",  # first, so that its admin templates override the defaults
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "willkommen.accessibility",
    "willkommen.accounts",
    "willkommen.catalog",
    "willkommen.booking",
    "willkommen.frontdesk",
    "willkommen.cases",
    "willkommen.controlling",
    "willkommen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "willkommen.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "willkommen.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "willkommen.core.middleware.RejectNullCharactersMiddleware",
    "willkommen.core.middleware.RateLimitedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "willkommen.urls"
WSGI_APPLICATION = "willkommen.wsgi.application"
ASGI_APPLICATION = "willkommen.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "willkommen.core.context_processors.site",
            ],
        },
    }
]

# --- database -------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'willkommen.sqlite3'}")
_default_db = dj_database_url.parse(
    DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", 0))
)
# A test database name unique to this checkout, so that two checkouts (git
# worktrees, CI next to a developer) never drop each other's test database.
_checkout = hashlib.sha1(str(BASE_DIR).encode(), usedforsecurity=False).hexdigest()[:8]
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer writes; IMMEDIATE takes the
    # write lock at BEGIN so concurrent writers queue (busy timeout) instead of
    # failing half-way through a transaction with "database is locked".
    _default_db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # A file (not :memory:) so that tests with threads and a live server share it.
    _default_db["TEST"] = {"NAME": str(VAR_DIR / f"test_{_checkout}.sqlite3")}
else:
    _default_db["TEST"] = {"NAME": f"test_willkommen_{_checkout}"}
    # Parameters sent apart from the query text, and statements that run again prepared
    # by the server (parsed and planned once per connection, not on every run). Django
    # switches preparing off unless told; psycopg keeps the last 100 per connection.
    # Both save CPU on every repeated query (bench/README.md has the figures). Both off
    # for a PgBouncer in transaction mode older than 1.21 (DB_SERVER_SIDE_BINDING=false
    # switches off both).
    if env_bool("DB_SERVER_SIDE_BINDING", True):
        _default_db.setdefault("OPTIONS", {})["server_side_binding"] = True
        _prepare = os.environ.get("DB_PREPARE_THRESHOLD", "2").strip().lower()
        if _prepare not in ("", "none", "off"):
            if not _prepare.isdigit():
                raise ImproperlyConfigured(
                    f"DB_PREPARE_THRESHOLD must be a whole number or 'off', not {_prepare!r}."
                )
            # Prepared from the run after this many: one-off statements stay unprepared.
            _default_db["OPTIONS"]["prepare_threshold"] = int(_prepare)
    # A gunicorn sync worker handles one request at a time and needs one connection
    # (DB_CONN_MAX_AGE keeps it open between requests). The pool is for processes with
    # many threads or streams at once: the ASGI server's display streams share at
    # most DB_POOL_MAX_SIZE connections and wait for a free one instead of PostgreSQL
    # refusing new ones. 0 = no pool (then DB_CONN_MAX_AGE applies).
    _pool_max = int(os.environ.get("DB_POOL_MAX_SIZE", 0))
    if _pool_max:
        _default_db["CONN_MAX_AGE"] = 0
        _default_db.setdefault("OPTIONS", {})["pool"] = {
            # A pool that grows on demand opens one connection at a time while requests
            # wait; by default it keeps all of them once opened.
            "min_size": min(int(os.environ.get("DB_POOL_MIN_SIZE", _pool_max)), _pool_max),
            "max_size": _pool_max,
            "timeout": int(os.environ.get("DB_POOL_TIMEOUT", 30)),
        }
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared across all server processes: rate limits and lockouts must hold for
# every worker, so they cannot live in per-process memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "willkommen_cache",
    }
}

# --- background tasks -----------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- background work (manage.py worker) -------------------------------------
# The sweeps `manage.py worker` runs beside the task queue: (an app's management
# command, seconds between runs). Not read from the environment: this is the wiring
# of the apps, like INSTALLED_APPS.
WORKER_SWEEPS = [
    ("send_outbox", 5),  # mails whose prompt delivery task failed or never ran
    # expires holds, returns cancelled capacity, allocates request windows,
    # materialises slots and queues tomorrow's reminders
    ("booking_sweep", 60),
    ("mark_no_shows", 60),  # appointments not checked in, visits of earlier days
    ("purge_ratelimits", 3600),
    ("apply_case_retention", 24 * 3600),
]

# --- authentication -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- languages and time ---------------------------------------------------
LANGUAGE_CODE = "de"
# Each language is named in itself, so people find theirs whatever the page language.
# Serbian is written in Latin script (sr-latn): see docs/translations.md for why.
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("sq", "Shqip"),
    ("sr-latn", "Srpski"),
]
LANGUAGES_BIDI = ["ar"]
# Each app keeps its own catalogue in <app>/locale/ (found through INSTALLED_APPS).
LOCALE_PATHS: list[Path] = []
# The office's time zone: "today" for deadlines, reference years and retention.
# A location has its own (catalog.Location.timezone); this is the office's default.
OFFICE_TIME_ZONE = os.environ.get("OFFICE_TIME_ZONE", "Europe/Berlin")
TIME_ZONE = OFFICE_TIME_ZONE
USE_I18N = True
USE_TZ = True

# --- static files and uploads ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# The manifest (hashed names) is built by every collectstatic, DEBUG on or off: files
# collected by `make run` (DEBUG on) then serve a DEBUG-off start too, instead of every
# page failing on a missing manifest entry. With DEBUG on the pages link the plain
# names, so the manifest is not needed then. Only the tests (DEBUG off, nothing
# collected) use the plain storage. nginx compresses on the fly (deploy/nginx/): the
# precompressed copies took a minute of every collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Uploaded documents live outside the web root and are never served statically.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# No URL pattern serves MEDIA_URL: documents are only handed out by views that
# check permissions and log the access.
MEDIA_URL = "/media/"

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
# The address applicants are sent to in mails, QR codes and PDFs. Unset, it is the
# address the development server listens on (HOST and PORT, which `make run` sets):
# `make run PORT=8101` then links to port 8101.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/") or (
    f"http://{_public_host(SERVER_HOST)}:{SERVER_PORT}"
)

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

from willkommen.office_settings import *  # noqa: E402, F403

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own logger has level INFO of its own; without this, LOG_LEVEL=ERROR
        # still printed a warning for every 4xx answer (a rush: every 409).
        "django": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
