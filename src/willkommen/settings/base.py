"""The project's wiring and the settings every part needs: paths, security, apps,
authentication, languages, static files, logging."""

import os
import sys
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent  # the repository root (src/willkommen/ -> ./)
VAR_DIR = Path(os.environ.get("WILLKOMMEN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


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


# The address applicants are sent to in mails, QR codes and PDFs. Unset, it is the
# address the development server listens on (HOST and PORT, which `make run` sets):
# `make run PORT=8101` then links to port 8101.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/") or (
    f"http://{_public_host(SERVER_HOST)}:{SERVER_PORT}"
)

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
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live)?$"]  # the load balancer probes over plain HTTP
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
    "willkommen.intake",
    "willkommen.payments",
    "willkommen.outreach",
    "willkommen.complaints",
    "willkommen.knowledge",
    "willkommen.imports",
    "willkommen.events",
    "willkommen.monitoring",
    "willkommen.controlling",
    "willkommen.demo",
]

MIDDLEWARE = [
    "willkommen.monitoring.requests.RequestMetricsMiddleware",  # first: counts every answer
    "willkommen.monitoring.requests.RequestIdMiddleware",  # the request_id of every log line
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

# --- authentication -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Passwords (switched off but for superusers by LOCAL_PASSWORD_LOGIN) and the city's
# identity provider (a no-op until OIDC_* is configured), see settings/accounts.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "willkommen.accounts.backends.LocalPasswordBackend",
    "willkommen.accounts.sso.backend.ProviderBackend",
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

# Personal access tokens of the JSON API (accounts/tokens.py): longest validity in days,
# calls per token per minute, refused tokens per client address per hour.
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", 365))
API_TOKEN_REQUESTS_PER_MINUTE = int(os.environ.get("API_TOKEN_REQUESTS_PER_MINUTE", 120))
API_TOKEN_REFUSALS_PER_HOUR = int(os.environ.get("API_TOKEN_REFUSALS_PER_HOUR", 30))

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
