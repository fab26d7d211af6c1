"""`{% exchange_help "registry" %}` on an upload page: where its columns are explained, and its templates."""

from django import template

from bangfu.formats.catalog import catalog

register = template.Library()


@register.inclusion_tag("formats/_help.html")
def exchange_help(prefix: str):
    layouts = [
        layout for layout in catalog().layouts if layout.key == prefix or layout.key.startswith(prefix + "-")
    ]
    return {"layouts": layouts}
