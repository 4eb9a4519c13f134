"""Production: every secret comes from the environment and a missing one stops the process.

Run behind a TLS-terminating reverse proxy (see README, "Production").
"""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, LINDUNGI, STORAGES
from .env import env_bool, env_int, env_list, env_str, secret_key_problem

DEBUG = False
LINDUNGI = {**LINDUNGI, "BEHIND_PROXY": env_bool("BEHIND_PROXY", True)}
SECRET_KEY = env_str("SECRET_KEY")  # no default: fail loudly
# A placeholder copied from deploy/lindungi.env.example would sign sessions and key the NIK
# hashes of the audit log with a value anyone can read: refuse to start.
if problem := secret_key_problem(SECRET_KEY):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"SECRET_KEY {problem} Use a random string of at least 50 characters, e.g. the output "
        "of: python -c 'import secrets; print(secrets.token_urlsafe(60))'"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The header alone submits nothing; preload-list submission stays the domain owner's act.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
