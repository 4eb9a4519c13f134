"""Settings for the test suite: the database still comes from DATABASE_URL (SQLite by default)."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The reporting alias exists (a mirror of the test database) so that tests may turn the
# replica routing on with `settings.REPORTING_REPLICA = True` (tests/reporting/test_replica.py).
DATABASES["reporting"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPORTING_REPLICA = False
