"""WSGI entry point for production servers (waitress via `bangfu serve`, or gunicorn/uwsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
application = get_wsgi_application()
