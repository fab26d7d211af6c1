"""Masking of sensitive personal data (ID numbers, phones) for lists, exports and the audit log.

ID and phone masking live with the ID-number engine, which knows their formats; this is the one
place the rest of the platform imports them from.
"""

from bangfu.registry.idnumber import mask_id, mask_phone

__all__ = ["mask_id", "mask_phone"]
