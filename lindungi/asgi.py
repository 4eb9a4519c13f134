"""The ASGI application (deploy/lindungi-web.service runs it under gunicorn)."""

import os

from django.core.asgi import get_asgi_application

# What gunicorn loads in production: without an explicit DJANGO_SETTINGS_MODULE it gets the
# production settings (which refuse to start without a real secret), never the laptop defaults.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindungi.settings.production")

application = get_asgi_application()
