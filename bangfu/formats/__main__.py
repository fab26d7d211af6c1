"""`python -m bangfu.formats > docs/exchange.md` writes the document from the catalog.

Django is set up first: the targets file names the figures of bangfu.stats.figures, which live beside the
models they count."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
django.setup()

from bangfu.formats.catalog import markdown  # noqa: E402

print(markdown(), end="")
