"""Numbers typed into a URL or a form by anyone: checked before they reach a query.

`str.isdigit()` accepts "¹" and "١٢" (int() refuses the first, the database the second as a text id),
and Python's int takes 99999999999999999999, which neither SQLite nor PostgreSQL can compare with a
64-bit column (each refuses it differently). A record id is ASCII digits within the range of the
column; anything else names no record, so a filter by it finds nothing and a page shows no such record.
"""

import django_filters
from django import forms

MAX_ID = 2**63 - 1  # BigAutoField, and foreign keys to it


def as_int(raw, low: int, high: int) -> int | None:
    """`raw` as an integer in [low, high] when written in ASCII digits (an optional minus); else None."""
    text = str(raw).strip() if raw is not None else ""
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 20:
        return None
    value = int(text)
    return value if low <= value <= high else None


def as_id(raw) -> int | None:
    """A record id from a URL or a form: 1 … MAX_ID in ASCII digits, else None."""
    return as_int(raw, 1, MAX_ID)


def as_ids(values) -> list[int]:
    """The record ids among `values` (a posted or queried list), the others left out."""
    return [value for value in map(as_id, values) if value is not None]


class IdField(forms.IntegerField):
    """A record id in a filter form: a number that names no possible record is a Chinese error."""

    default_error_messages = {
        "invalid": "应为记录编号（正整数）。",
        "min_value": "应为记录编号（正整数）。",
        "max_value": "编号过大，没有这样的记录。",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value).strip().removeprefix("-")
            if not (text.isascii() and text.isdigit()):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdFilter(django_filters.NumberFilter):
    """Filters by a record id (usually a foreign key's `<name>_id`), checked by `IdField`."""

    field_class = IdField
