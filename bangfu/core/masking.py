"""Masking of sensitive personal data (ID numbers, phones, bank accounts) for lists and exports."""


def mask_id(value: str | None) -> str:
    """433124199001011234 → 433124********1234; short or odd values are masked whole."""
    value = (value or "").strip()
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    return "*" * len(value)


def mask_phone(value: str | None) -> str:
    """13812345678 → 138****5678; landlines keep the area code and the last two digits."""
    value = (value or "").strip()
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    if "-" in value:
        area, _, number = value.partition("-")
        return area + "-" + "*" * max(len(number) - 2, 0) + number[-2:]
    if len(digits) > 4:
        return "*" * (len(digits) - 2) + digits[-2:]
    return "*" * len(digits)


def mask_account(value: str | None) -> str:
    """Bank account numbers: the last four digits only."""
    value = (value or "").replace(" ", "")
    return "*" * max(len(value) - 4, 0) + value[-4:] if len(value) > 4 else "*" * len(value)
