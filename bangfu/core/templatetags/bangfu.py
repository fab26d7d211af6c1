"""Template filters shared by every app."""

from django import template

from bangfu.core import idnumber

register = template.Library()


@register.filter
def mask_phone(value):
    return idnumber.mask_phone(value)


@register.filter
def mask_id(value):
    return idnumber.mask_id(value)


@register.filter
def dict_get(mapping, key):
    return (mapping or {}).get(key)
