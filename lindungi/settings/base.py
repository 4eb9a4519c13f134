"""Settings shared by every environment. Everything a deployment changes comes from the environment.

The embedded defaults (SQLite under ./var, console e-mail, a development secret) make
`make run` work with nothing but Python; `lindungi.settings.production` removes those defaults.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "lindungi"
VAR_DIR = Path(env_str("LINDUNGI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-local-only-key-do-not-use-in-production-7c1f")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    # Before django.contrib.auth: its `changepassword` command replaces Django's, so that a
    # password set from the command line goes through the service too (ends the API tokens).
    "lindungi.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "lindungi.core",
    "lindungi.regions",
    "lindungi.registry",
    "lindungi.imports",
    "lindungi.dedup",
    "lindungi.programmes",
    "lindungi.enrolment",
    "lindungi.billing",
    "lindungi.claims",
    "lindungi.reporting",
    "lindungi.lifecycle",
    "lindungi.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lindungi.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lindungi.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lindungi.portal.middleware.PortalLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lindungi.core.middleware.RequestContextMiddleware",
    "lindungi.portal.errors.DomainErrorPageMiddleware",
]

ROOT_URLCONF = "lindungi.urls"
WSGI_APPLICATION = "lindungi.wsgi.application"
ASGI_APPLICATION = "lindungi.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lindungi.portal.context_processors.portal",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# DATABASE_URL selects the database; without it Lindungi uses an embedded SQLite file.
_default_sqlite = f"sqlite:///{VAR_DIR / 'lindungi.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # The web server and the task worker share the file: WAL lets readers proceed while a
    # writer works, IMMEDIATE takes the write lock up front instead of failing on upgrade,
    # and the timeout makes a busy writer wait rather than error.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
        "PRAGMA cache_size=-65536;PRAGMA temp_store=MEMORY",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# A streaming replica for dashboards and coverage reports (core/routers.py); optional.
REPORTING_REPLICA = bool(env_str("REPORTING_DATABASE_URL", ""))
if REPORTING_REPLICA:
    DATABASES["reporting"] = dj_database_url.parse(
        env_str("REPORTING_DATABASE_URL", ""),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    DATABASES["reporting"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["lindungi.core.routers.ReportingRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["lindungi.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not from the cookie
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lindungi_language"
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
# Locally WhiteNoise serves straight from the source folders; production collects into STATIC_ROOT.
STATIC_ROOT: Path | None = (
    Path(os.environ["STATIC_ROOT"]) if os.environ.get("STATIC_ROOT") else None
)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploaded files (import sheets, claim documents) hold personal data: they live outside any
# served directory and are only ever streamed through a view that checks scope.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Background tasks -------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lindungi <noreply@lindungi.local>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# --- Logging ----------------------------------------------------------------------------------
# No personal data in logs: request lines are logged without their query string.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_string": {"()": "lindungi.core.logging.StripQueryStringFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query_string"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# --- Lindungi ---------------------------------------------------------------------------------
LINDUNGI: dict[str, Any] = {
    # Failed sign-ins slow down one username from one address, and one address across usernames
    # (accounts/throttle.py); no account is ever locked. After the threshold the pair (address)
    # waits FIRST_SECONDS, each further failure doubles the wait up to MAX_MINUTES. The former
    # LOGIN_LOCKOUT_* names are still read, as the pair's threshold and the cap.
    "LOGIN_THROTTLE_THRESHOLD": env_int(
        "LOGIN_THROTTLE_THRESHOLD", env_int("LOGIN_LOCKOUT_THRESHOLD", 5)
    ),
    "LOGIN_THROTTLE_ADDRESS_THRESHOLD": env_int("LOGIN_THROTTLE_ADDRESS_THRESHOLD", 20),
    "LOGIN_THROTTLE_FIRST_SECONDS": env_int("LOGIN_THROTTLE_FIRST_SECONDS", 60),
    "LOGIN_THROTTLE_MAX_MINUTES": env_int(
        "LOGIN_THROTTLE_MAX_MINUTES", env_int("LOGIN_LOCKOUT_MINUTES", 15)
    ),
    # API bearer tokens expire; a user can revoke them at any time.
    "API_TOKEN_TTL_DAYS": env_int("API_TOKEN_TTL_DAYS", 90),
    # UU 27/2022 Pasal 53: the controller names a data-protection officer.
    "DPO_CONTACT": env_str("DPO_CONTACT", "Pejabat Pelindungan Data Pribadi — dpo@pemda.go.id"),
    "ORGANISATION": env_str("ORGANISATION", "Pemerintah Daerah"),
    # Behind a reverse proxy the client address comes from X-Real-IP (README, "Production")…
    "BEHIND_PROXY": env_bool("BEHIND_PROXY", False),
    # …but only when the request came from one of these peers (addresses or networks): nginx on
    # the same machine. Anyone else's forwarding headers are ignored (core/middleware.py).
    "TRUSTED_PROXIES": env_networks("TRUSTED_PROXIES", ["127.0.0.1", "::1"]),
    # Routines `manage.py scheduler` runs: management command → interval in seconds.
    "SCHEDULE": {
        "enrolment_sweep": env_int("ENROLMENT_SWEEP_SECONDS", 3600),
        "billing_sweep": env_int("BILLING_SWEEP_SECONDS", 3600),
        "reporting_refresh": env_int("REPORTING_REFRESH_SECONDS", 900),
    },
    # Money (domain.md §5). A BPU participant more than this many consecutive months in arrears
    # loses membership (Perdir 22/PERDIR.02/072022: "more than 3"; pending the branch's word).
    "ARREARS_LAPSE_MONTHS": env_int("ARREARS_LAPSE_MONTHS", 3),
    # The day of the billed month by which its contributions are due (BPJS's date is unsourced).
    "CONTRIBUTION_DUE_DAY": env_int("CONTRIBUTION_DUE_DAY", 15),
    # Warn this many days before cover is at risk (lapse, programme end, money running out).
    "ALERT_DAYS": [int(d) for d in env_str("ALERT_DAYS", "60,30,7").split(",") if d.strip()],
    # The sweep bills each running programme's month on its first day (off: finance runs it).
    "AUTO_BILLING": env_bool("AUTO_BILLING", True),
    # The public status check (/cek): limits per address and per NIK, and the least time every
    # answer takes (the same whether the NIK is known or not).
    "PUBLIC_CHECK_PER_ADDRESS_PER_MINUTE": env_int("PUBLIC_CHECK_PER_ADDRESS_PER_MINUTE", 10),
    "PUBLIC_CHECK_PER_NIK_PER_HOUR": env_int("PUBLIC_CHECK_PER_NIK_PER_HOUR", 5),
    "PUBLIC_CHECK_MIN_SECONDS": float(env_str("PUBLIC_CHECK_MIN_SECONDS", "0.4")),
}
