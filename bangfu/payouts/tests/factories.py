"""A tiny payout kind the core's tests run (the interface exercised before any real program plugs in), and
the people of a planted world."""

from __future__ import annotations

from decimal import Decimal

from bangfu.payouts import kinds
from bangfu.payouts.kinds import PayoutKind, Proposal

TEST_KIND = "test-kind"


class Planted:
    """Proposals set by a test, per (area code, period): whatever the test puts in `proposals`."""

    proposals: list[Proposal] = []


def propose(area, period):
    yield from Planted.proposals


def register_test_kind():
    kinds.register(PayoutKind(TEST_KIND, "测试补贴", "month", propose, basis="测试依据"))
    return TEST_KIND


def proposal(person, amount="600", **fields) -> Proposal:
    return Proposal(person.pk if person is not None else None, Decimal(amount) if amount else None, **fields)
