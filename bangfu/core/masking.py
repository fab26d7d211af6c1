"""Masking of sensitive personal data (ID numbers, phones, bank accounts) for lists and exports.

ID and phone masking live with the ID-number engine, which knows their formats; this is the one
place the rest of the platform imports them from.
"""

from bangfu.registry.idnumber import mask_id, mask_phone

__all__ = ["mask_account", "mask_id", "mask_phone"]


def mask_account(value: str | None) -> str:
    """Bank account numbers: the last four digits only."""
    value = (value or "").replace(" ", "")
    return "*" * max(len(value) - 4, 0) + value[-4:] if len(value) > 4 else "*" * len(value)
