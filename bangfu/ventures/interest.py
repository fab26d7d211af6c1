"""The interest-subsidy schedule of a guarantee loan (*engine*, plain Python): month by month from the day
granted, the principal outstanding, the interest due and the part the budget pays (贴息).

Each month of the loan ends on the day `granted_on` + n calendar months (the month's last day when it is
shorter). Its interest is the principal outstanding at its start (the amount less the principal repaid
before that day) × the yearly rate ÷ 12; the subsidy is the same on at most 贴息本金上限, × 贴息比例, for the
months within both the term and 贴息期限. A loan 逾期 or 代偿 gets no subsidy for months ending after its
status day. Amounts are rounded to the fen, half up, month by month."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
STOPPING = ("逾期", "代偿")


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Month:
    number: int  # 1 for the first month of the loan
    starts: dt.date
    ends: dt.date  # the day the month's interest falls due
    outstanding: Decimal
    interest: Decimal
    subsidy: Decimal


@dataclass(frozen=True)
class Terms:
    amount: Decimal
    rate: Decimal  # percent a year
    granted_on: dt.date
    term_months: int
    status: str = "正常"
    status_on: dt.date | None = None


@dataclass(frozen=True)
class Subsidy:
    share: int  # percent of the interest
    max_amount: Decimal
    max_months: int


def schedule(
    terms: Terms, rule: Subsidy | None, repayments: Iterable[tuple[dt.date, Decimal]]
) -> list[Month]:
    """Every month of the term with its interest and subsidy (0 without a rule)."""
    paid = sorted(repayments)
    months = []
    for n in range(terms.term_months):
        starts, ends = add_months(terms.granted_on, n), add_months(terms.granted_on, n + 1)
        repaid = sum((p for day, p in paid if day < starts), Decimal(0))
        outstanding = max(terms.amount - repaid, Decimal(0))
        monthly = terms.rate / Decimal(100) / Decimal(12)
        interest = (outstanding * monthly).quantize(FEN, ROUND_HALF_UP)
        subsidy = Decimal(0)
        stopped = terms.status in STOPPING and terms.status_on is not None and ends > terms.status_on
        if rule is not None and n < rule.max_months and not stopped:
            base = min(outstanding, rule.max_amount)
            subsidy = (base * monthly * Decimal(rule.share) / Decimal(100)).quantize(FEN, ROUND_HALF_UP)
        months.append(Month(n + 1, starts, ends, outstanding, interest, subsidy))
    return months


def due_in(months: list[Month], first: dt.date, last: dt.date) -> list[Month]:
    """The months whose interest falls due from `first` to `last`."""
    return [m for m in months if first <= m.ends <= last]
