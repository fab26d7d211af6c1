"""`python -m bangfu.formats > docs/exchange.md` writes the document from the catalog."""

from bangfu.formats.catalog import markdown

print(markdown(), end="")
