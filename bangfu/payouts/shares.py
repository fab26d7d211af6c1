"""The money by level (补贴资金分担): each passed line's amount split by the share rule in force for the
payee's area on the period's last day; the sums per area are read in one query, the rules once. A kind may
name its own share rule (`PayoutKind.shares`, e.g. 养老保险代缴's 代缴分担); the rest use `ShareRule`."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from bangfu.payouts.models import PayoutList, ShareRule
from bangfu.payouts.periods import parse

LEVELS = ("省级", "市级", "县级")


def rule_model(kind_key: str):
    from bangfu.payouts.kinds import kind

    try:
        return kind(kind_key).shares or ShareRule
    except KeyError:
        return ShareRule


def split_lines(lines, period: str, kind_key: str = "") -> dict | None:
    """{"levels": {省级, 市级, 县级: yuan}, "unshared": yuan where no share rule applies}, or None when
    no share rule applies anywhere (the page then says so)."""
    last = parse(period, "month" if len(period) == 7 else "year")[1]
    book = rule_model(kind_key).objects.book(last)
    if not len(book):
        return None
    levels = defaultdict(Decimal)
    unshared = Decimal("0")
    per_area = lines.order_by().values_list("area_code").annotate(money=Sum("amount"))
    for code, money in per_area:
        rule = book.for_code(code) if code else None
        if rule is None:
            unshared += money or 0
            continue
        parts = rule.split(Decimal(money or 0))
        for level, part in parts.items() if isinstance(parts, dict) else zip(LEVELS, parts, strict=True):
            levels[level] += part
    return {"levels": [(level, levels[level]) for level in LEVELS], "unshared": unshared}


def by_level(payout_list: PayoutList) -> dict | None:
    return split_lines(payout_list.lines.passed(), payout_list.period, payout_list.kind)
