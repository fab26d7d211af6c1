"""Periods of a payout list (*engine*): a month "YYYY-MM" or a year "YYYY", and the days they span."""

from __future__ import annotations

import calendar
import re
from datetime import date

from django.core.exceptions import ValidationError

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
YEAR_RE = re.compile(r"^(\d{4})$")


def parse(period: str, unit: str) -> tuple[date, date]:
    """The first and last day of `period` ("2026-03" for a month, "2026" for a year); a ValidationError
    in Chinese when it is not one of `unit` ("month" or "year")."""
    text = (period or "").strip()
    if unit == "month":
        found = MONTH_RE.match(text)
        if not found or not (1 <= int(found[2]) <= 12) or int(found[1]) < 1900:
            raise ValidationError(f"期间应为年月，如 2026-03，而不是“{period}”。")
        year, month = int(found[1]), int(found[2])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    found = YEAR_RE.match(text)
    if not found or int(found[1]) < 1900:
        raise ValidationError(f"期间应为年度，如 2026，而不是“{period}”。")
    year = int(found[1])
    return date(year, 1, 1), date(year, 12, 31)
